// Default device, memory statistics and the library version.
#include "internal.hpp"
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <cstdlib>
using namespace cmlx;

/// glibc's threshold above which malloc maps buffers straight from the system (and returns them on
/// free). Its default adapts upward to the largest block freed, then keeps blocks below that in the
/// heap, where multi-megabyte activations fragment it. Fixed here: 32 MB for the transformer (its
/// 28 MB activations reuse heap memory without page faults: block pair 2.84 s vs 3.26 s at 1 MB), and
/// lowered by stages that stream through large activations once (the VAE decode: peak RSS 3.2 → 2.6 GB).
static size_t mmap_threshold = 32u << 20;

#if defined(__GLIBC__)
[[gnu::constructor]] static void fix_mmap_threshold() {
    if (std::getenv("MALLOC_MMAP_THRESHOLD_") == nullptr) mallopt(M_MMAP_THRESHOLD, int(mmap_threshold));
}
#endif

extern "C" {

int cmlx_set_default_device(int gpu) {
    return guard([&] { mx::set_default_device(gpu ? mx::Device::gpu : mx::Device::cpu); });
}

int cmlx_default_device_is_gpu(void) {
    return guard_or(0, [] { return mx::default_device() == mx::Device::gpu ? 1 : 0; });
}

int cmlx_gpu_available(void) {
    try {
        return mx::is_available(mx::Device::gpu) ? 1 : 0;
    } catch (...) {
        return 0;
    }
}

size_t cmlx_peak_memory(void) {
    return guard_or(size_t(0), [] { return mx::get_peak_memory(); });
}
size_t cmlx_active_memory(void) {
    return guard_or(size_t(0), [] { return mx::get_active_memory(); });
}
void cmlx_reset_peak_memory(void) { guard([] { mx::reset_peak_memory(); }); }
void cmlx_clear_cache(void) { guard([] { mx::clear_cache(); }); }
size_t cmlx_set_cache_limit(size_t bytes) {
    return guard_or(size_t(0), [&] { return mx::set_cache_limit(bytes); });
}

size_t cmlx_set_mmap_threshold(size_t bytes) {  // mallopt and getenv do not throw
    size_t previous = mmap_threshold;
#if defined(__GLIBC__)
    if (std::getenv("MALLOC_MMAP_THRESHOLD_") == nullptr && mallopt(M_MMAP_THRESHOLD, int(bytes)) == 1) mmap_threshold = bytes;
#endif
    return previous;
}
const char* cmlx_version(void) {
    return guard_or<const char*>("", [] { return mx::version(); });
}

}  // extern "C"
