// Random draws; every draw takes an explicit key (DESIGN.md: deterministic from the user's seed).
#include "internal.hpp"
using namespace cmlx;

extern "C" {

int cmlx_random_key(cmlx_array* out, uint64_t seed) {
    return guard([&] { *out = wrap(mx::random::key(seed)); });
}

int cmlx_random_split(cmlx_array* out, cmlx_array key, int num) {
    return guard([&] { *out = wrap(mx::random::split(unwrap(key), num)); });
}

int cmlx_random_normal(cmlx_array* out, const int* shape, int ndim, cmlx_dtype dtype, cmlx_array key) {
    return guard([&] { *out = wrap(mx::random::normal(shape_of(shape, ndim), to_mlx(dtype), unwrap(key))); });
}

int cmlx_random_uniform(cmlx_array* out, float low, float high, const int* shape, int ndim, cmlx_dtype dtype,
                        cmlx_array key) {
    return guard([&] {
        *out = wrap(mx::random::uniform(mx::array(low), mx::array(high), shape_of(shape, ndim), to_mlx(dtype),
                                        unwrap(key)));
    });
}

int cmlx_random_bernoulli(cmlx_array* out, cmlx_array p, const int* shape, int ndim, cmlx_array key) {
    return guard([&] { *out = wrap(mx::random::bernoulli(unwrap(p), shape_of(shape, ndim), unwrap(key))); });
}

int cmlx_random_categorical(cmlx_array* out, cmlx_array logits, int axis, cmlx_array key) {
    return guard([&] { *out = wrap(mx::random::categorical(unwrap(logits), axis, unwrap(key))); });
}

int cmlx_random_randint(cmlx_array* out, int low, int high, const int* shape, int ndim, cmlx_dtype dtype,
                        cmlx_array key) {
    return guard([&] {
        *out = wrap(mx::random::randint(mx::array(low), mx::array(high), shape_of(shape, ndim), to_mlx(dtype),
                                        unwrap(key)));
    });
}

}  // extern "C"
