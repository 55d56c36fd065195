// Temporaries of the CPU kernels, kept off glibc's heap: multi-megabyte blocks freed there are kept
// for reuse and fragment it, which raised the VAE decode's peak memory by hundreds of MB.
#pragma once
#include <sys/mman.h>
#include <algorithm>
#include <cstddef>
#include <new>
#include <vector>

namespace cmlx::cpu {

/// Per-block buffers a kernel needs on every call; bounded by its block size, so they are kept per
/// thread and reused instead of being allocated and freed in the hot loop.
enum class Reusable { accumulator, winograd_input, winograd_product, tile, count };

inline float* reusable(Reusable slot, size_t n) {
    thread_local std::vector<float> buffers[size_t(Reusable::count)];
    auto& buffer = buffers[size_t(slot)];
    if (buffer.size() < n) buffer = std::vector<float>(n);
    return buffer.data();
}

/// A per-call temporary of n floats sized by the problem (padded inputs, transformed weights): mapped
/// straight from the system, so its pages go back on destruction. Zero-filled.
class Temporary {
   public:
    explicit Temporary(size_t n) : bytes_(std::max<size_t>(n, 1) * sizeof(float)) {
        void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::bad_alloc();
        data_ = static_cast<float*>(p);
    }
    ~Temporary() { munmap(data_, bytes_); }
    Temporary(const Temporary&) = delete;
    Temporary& operator=(const Temporary&) = delete;
    float* data() { return data_; }
    const float* data() const { return data_; }

   private:
    size_t bytes_;
    float* data_;
};

}  // namespace cmlx::cpu
