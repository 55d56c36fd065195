// The one BLAS entry point the CPU kernels call, and how they keep OpenBLAS off its own threads
// while the kernel's thread pool calls it from several threads at once.
#pragma once
#include <dlfcn.h>
#include <functional>

extern "C" void cblas_sgemm(int order, int trans_a, int trans_b, int m, int n, int k, float alpha, const float* a, int lda,
                            const float* b, int ldb, float beta, float* c, int ldc);

namespace cmlx::kernels {

enum { RowMajor = 101, NoTrans = 111, Trans = 112 };

/// Runs `body` with OpenBLAS limited to one thread (when this BLAS is OpenBLAS): nested OpenBLAS
/// threading inside the pool's parallel slices thrashes (7x slower here).
inline void with_single_threaded_blas(const std::function<void()>& body) {
    using Get = int (*)();
    using Set = void (*)(int);
    static Get get = reinterpret_cast<Get>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    static Set set = reinterpret_cast<Set>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    int previous = get && set ? get() : 1;
    if (previous > 1) set(1);
    body();
    if (previous > 1) set(previous);
}

}  // namespace cmlx::kernels
