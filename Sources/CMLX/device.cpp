// Default device, memory statistics and the library version.
#include "internal.hpp"
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <cstdlib>
using namespace cmlx;

#if defined(__GLIBC__)
/// Buffers of 1 MB and up always come from mmap, so freed activations go back to the system: glibc
/// otherwise raises its mmap threshold to the largest freed block (up to 32 MB) and keeps such blocks
/// in the heap — the 240p VAE decode peaked 0.5 GB higher that way. MALLOC_MMAP_THRESHOLD_ still wins.
[[gnu::constructor]] static void return_large_buffers_to_the_system() {
    if (std::getenv("MALLOC_MMAP_THRESHOLD_") == nullptr) mallopt(M_MMAP_THRESHOLD, 1 << 20);
}
#endif

extern "C" {

int cmlx_set_default_device(int gpu) {
    return guard([&] { mx::set_default_device(gpu ? mx::Device::gpu : mx::Device::cpu); });
}

int cmlx_gpu_available(void) {
    try {
        return mx::is_available(mx::Device::gpu) ? 1 : 0;
    } catch (...) {
        return 0;
    }
}

size_t cmlx_peak_memory(void) { return mx::get_peak_memory(); }
size_t cmlx_active_memory(void) { return mx::get_active_memory(); }
void cmlx_reset_peak_memory(void) { mx::reset_peak_memory(); }
void cmlx_clear_cache(void) { mx::clear_cache(); }
size_t cmlx_set_cache_limit(size_t bytes) { return mx::set_cache_limit(bytes); }
const char* cmlx_version(void) { return mx::version(); }

}  // extern "C"
