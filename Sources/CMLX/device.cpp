// Default device, memory statistics and the library version.
#include "internal.hpp"
using namespace cmlx;

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
const char* cmlx_version(void) { return mx::version(); }

}  // extern "C"
