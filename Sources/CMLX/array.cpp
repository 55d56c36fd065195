// Array and vector handles: creation from host memory, queries, evaluation, copy back to host.
#include <cstdlib>
#include <cstring>
#include <sstream>
#include "internal.hpp"
using namespace cmlx;

mx::Dtype cmlx::to_mlx(cmlx_dtype d) {
    switch (d) {
        case CMLX_BOOL: return mx::bool_;
        case CMLX_UINT8: return mx::uint8;
        case CMLX_INT32: return mx::int32;
        case CMLX_INT64: return mx::int64;
        case CMLX_FLOAT16: return mx::float16;
        case CMLX_BFLOAT16: return mx::bfloat16;
        case CMLX_FLOAT32: return mx::float32;
        case CMLX_UINT32: return mx::uint32;
        case CMLX_FLOAT64: return mx::float64;
        case CMLX_UNSUPPORTED: break;
    }
    throw std::invalid_argument("[cmlx] unknown dtype " + std::to_string(int(d)));
}

cmlx_dtype cmlx::from_mlx(mx::Dtype d) {
    switch (d.val()) {
        case mx::Dtype::Val::bool_: return CMLX_BOOL;
        case mx::Dtype::Val::uint8: return CMLX_UINT8;
        case mx::Dtype::Val::int32: return CMLX_INT32;
        case mx::Dtype::Val::int64: return CMLX_INT64;
        case mx::Dtype::Val::float16: return CMLX_FLOAT16;
        case mx::Dtype::Val::bfloat16: return CMLX_BFLOAT16;
        case mx::Dtype::Val::float32: return CMLX_FLOAT32;
        case mx::Dtype::Val::uint32: return CMLX_UINT32;
        case mx::Dtype::Val::float64: return CMLX_FLOAT64;
        default: break;
    }
    std::ostringstream name;
    name << d;
    throw std::invalid_argument("[cmlx] MLX dtype " + name.str() +
                                " has no Swift DType (supported: bool, uint8, int32, int64, float16, bfloat16, float32, uint32, float64)");
}

extern "C" {

void cmlx_array_free(cmlx_array a) { delete a; }  // destructors do not throw
cmlx_array cmlx_array_new_handle(cmlx_array a) {
    return guard_or<cmlx_array>(nullptr, [&] { return wrap(unwrap(a)); });
}

int cmlx_array_from_data(cmlx_array* out, const void* data, const int* shape, int ndim, cmlx_dtype dtype) {
    return guard([&] {
        auto dt = to_mlx(dtype);
        auto s = shape_of(shape, ndim);
        size_t n = 1;
        for (int d : s) n *= size_t(d);
        // Our own copy, handed to MLX with its deleter, so the caller's memory can go right away.
        size_t nbytes = n * dt.size();
        void* copy = std::malloc(nbytes > 0 ? nbytes : 1);
        if (copy == nullptr) throw std::runtime_error("[from_data] out of memory for " + std::to_string(nbytes) + " bytes");
        if (nbytes > 0) std::memcpy(copy, data, nbytes);
        *out = wrap(mx::array(copy, s, dt, [](void* p) { std::free(p); }));
    });
}

int cmlx_array_scalar_f32(cmlx_array* out, float value, cmlx_dtype dtype) {
    return guard([&] { *out = wrap(mx::astype(mx::array(value), to_mlx(dtype))); });
}

int cmlx_array_full(cmlx_array* out, const int* shape, int ndim, cmlx_array value, cmlx_dtype dtype) {
    return guard([&] { *out = wrap(mx::full(shape_of(shape, ndim), unwrap(value), to_mlx(dtype))); });
}

int cmlx_array_ndim(cmlx_array a) {
    return guard_or(0, [&] { return int(unwrap(a).ndim()); });
}
int cmlx_array_dim(int* out, cmlx_array a, int axis) {
    return guard([&] { *out = unwrap(a).shape(axis); });  // shape(axis) throws out_of_range for a bad axis
}
size_t cmlx_array_size(cmlx_array a) {
    return guard_or(size_t(0), [&] { return unwrap(a).size(); });
}
cmlx_dtype cmlx_array_dtype(cmlx_array a) {
    return guard_or(CMLX_UNSUPPORTED, [&] { return from_mlx(unwrap(a).dtype()); });
}

int cmlx_array_eval(cmlx_array a) {
    return guard([&] { mx::eval(unwrap(a)); });
}

int cmlx_eval_many(const cmlx_array* arrays, size_t count) {
    return guard([&] {
        std::vector<mx::array> v;
        v.reserve(count);
        for (size_t i = 0; i < count; i++) v.push_back(unwrap(arrays[i]));
        mx::eval(v);
    });
}

int cmlx_array_copy_to(cmlx_array h, void* dst, size_t nbytes) {
    return guard([&] {
        // A contiguous copy first: the array may be a strided view.
        auto a = mx::contiguous(unwrap(h));
        mx::eval(a);
        if (a.nbytes() != nbytes)
            throw std::invalid_argument("[copy_to] buffer holds " + std::to_string(nbytes) + " bytes, array has " +
                                        std::to_string(a.nbytes()));
        if (nbytes > 0) std::memcpy(dst, a.data<void>(), nbytes);
    });
}

cmlx_vector cmlx_vector_new(void) {
    return guard_or<cmlx_vector>(nullptr, [] { return new cmlx_vector_impl{}; });
}
void cmlx_vector_free(cmlx_vector v) { delete v; }
size_t cmlx_vector_size(cmlx_vector v) {
    return guard_or(size_t(0), [&] { return v == nullptr ? size_t(0) : v->items.size(); });
}
int cmlx_vector_append(cmlx_vector v, cmlx_array a) {
    return guard([&] {
        if (v == nullptr) throw std::invalid_argument("[cmlx] null vector handle");
        v->items.push_back(unwrap(a));
    });
}

int cmlx_vector_get(cmlx_array* out, cmlx_vector v, size_t i) {
    return guard([&] { *out = wrap(v->items.at(i)); });
}

}  // extern "C"
