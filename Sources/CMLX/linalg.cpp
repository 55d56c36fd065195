// Matrix products (OpenBLAS sgemm underneath on CPU, see Package.swift).
#include "internal.hpp"
using namespace cmlx;

extern "C" {

int cmlx_matmul(cmlx_array* out, cmlx_array a, cmlx_array b) {
    return guard([&] { *out = wrap(mx::matmul(unwrap(a), unwrap(b))); });
}

int cmlx_addmm(cmlx_array* out, cmlx_array c, cmlx_array a, cmlx_array b, float alpha, float beta) {
    return guard([&] { *out = wrap(mx::addmm(unwrap(c), unwrap(a), unwrap(b), alpha, beta)); });
}

}  // extern "C"
