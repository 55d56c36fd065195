// Shape and indexing ops: views, copies, joins and gathers.
#include "internal.hpp"
using namespace cmlx;

static std::vector<mx::array> arrays_of(const cmlx_array* arrays, size_t count) {
    std::vector<mx::array> v;
    v.reserve(count);
    for (size_t i = 0; i < count; i++) v.push_back(unwrap(arrays[i]));
    return v;
}

extern "C" {

int cmlx_reshape(cmlx_array* out, cmlx_array a, const int* shape, int ndim) {
    return guard([&] { *out = wrap(mx::reshape(unwrap(a), shape_of(shape, ndim))); });
}

int cmlx_transpose(cmlx_array* out, cmlx_array a, const int* axes, int naxes) {
    return guard([&] { *out = wrap(mx::transpose(unwrap(a), ints(axes, naxes))); });
}

int cmlx_slice(cmlx_array* out, cmlx_array a, const int* start, const int* stop, const int* strides, int ndim) {
    return guard([&] {
        *out = wrap(mx::slice(unwrap(a), shape_of(start, ndim), shape_of(stop, ndim), shape_of(strides, ndim)));
    });
}

int cmlx_slice_update(cmlx_array* out, cmlx_array src, cmlx_array update, const int* start, const int* stop,
                      const int* strides, int ndim) {
    return guard([&] {
        *out = wrap(mx::slice_update(unwrap(src), unwrap(update), shape_of(start, ndim), shape_of(stop, ndim),
                                     shape_of(strides, ndim)));
    });
}

int cmlx_concatenate(cmlx_array* out, const cmlx_array* arrays, size_t count, int axis) {
    return guard([&] { *out = wrap(mx::concatenate(arrays_of(arrays, count), axis)); });
}

int cmlx_stack(cmlx_array* out, const cmlx_array* arrays, size_t count, int axis) {
    return guard([&] { *out = wrap(mx::stack(arrays_of(arrays, count), axis)); });
}

int cmlx_split(cmlx_vector out, cmlx_array a, const int* indices, int nindices, int axis) {
    return guard([&] {
        for (auto& piece : mx::split(unwrap(a), shape_of(indices, nindices), axis)) out->items.push_back(piece);
    });
}

int cmlx_pad(cmlx_array* out, cmlx_array a, const int* low, const int* high, int ndim, cmlx_array value) {
    return guard([&] {
        std::vector<int> axes(ndim);
        for (int i = 0; i < ndim; i++) axes[i] = i;
        *out = wrap(mx::pad(unwrap(a), axes, shape_of(low, ndim), shape_of(high, ndim), unwrap(value)));
    });
}

int cmlx_broadcast_to(cmlx_array* out, cmlx_array a, const int* shape, int ndim) {
    return guard([&] { *out = wrap(mx::broadcast_to(unwrap(a), shape_of(shape, ndim))); });
}

int cmlx_expand_dims(cmlx_array* out, cmlx_array a, int axis) {
    return guard([&] { *out = wrap(mx::expand_dims(unwrap(a), axis)); });
}

int cmlx_squeeze(cmlx_array* out, cmlx_array a, const int* axes, int naxes) {
    return guard([&] { *out = wrap(naxes == 0 ? mx::squeeze(unwrap(a)) : mx::squeeze(unwrap(a), ints(axes, naxes))); });
}

int cmlx_take(cmlx_array* out, cmlx_array a, cmlx_array indices, int axis) {
    return guard([&] { *out = wrap(mx::take(unwrap(a), unwrap(indices), axis)); });
}

int cmlx_take_along_axis(cmlx_array* out, cmlx_array a, cmlx_array indices, int axis) {
    return guard([&] { *out = wrap(mx::take_along_axis(unwrap(a), unwrap(indices), axis)); });
}

int cmlx_repeat(cmlx_array* out, cmlx_array a, int repeats, int axis) {
    return guard([&] { *out = wrap(mx::repeat(unwrap(a), repeats, axis)); });
}

int cmlx_tile(cmlx_array* out, cmlx_array a, const int* reps, int nreps) {
    return guard([&] { *out = wrap(mx::tile(unwrap(a), ints(reps, nreps))); });
}

int cmlx_flip(cmlx_array* out, cmlx_array a, int axis) {
    return guard([&] {
        const auto& x = unwrap(a);
        int ax = axis < 0 ? axis + int(x.ndim()) : axis;
        int n = x.shape(ax);
        *out = wrap(mx::take(x, mx::arange(n - 1, -1, -1, mx::int32), ax));
    });
}

int cmlx_arange(cmlx_array* out, double start, double stop, double step, cmlx_dtype dtype) {
    return guard([&] { *out = wrap(mx::arange(start, stop, step, to_mlx(dtype))); });
}

int cmlx_contiguous(cmlx_array* out, cmlx_array a) {
    return guard([&] { *out = wrap(mx::contiguous(unwrap(a))); });
}

}  // extern "C"
