// Shared by the shim's .cpp files: the handle structs and the error funnel. Never included by Swift.
#pragma once
#include <exception>
#include <string>
#include <vector>
#include "mlx/mlx.h"
#include "include/cmlx.h"

namespace mx = mlx::core;

struct cmlx_array_impl { mx::array a; };
struct cmlx_vector_impl { std::vector<mx::array> items; };

namespace cmlx {

void set_error(const std::string& message);

/** Runs `body`; any exception becomes the thread's last error and return code 1. */
template <typename F>
int guard(F&& body) {
    try {
        body();
        return 0;
    } catch (const std::exception& e) {
        set_error(e.what());
    } catch (...) {
        set_error("unknown C++ exception");
    }
    return 1;
}

/** For entry points that return a value instead of a code: an exception leaves its message in
 *  cmlx_last_error() and the call returns `fallback` (nothing may unwind into Swift). */
template <typename T, typename F>
T guard_or(T fallback, F&& body) noexcept {
    try {
        return body();
    } catch (const std::exception& e) {
        set_error(e.what());
    } catch (...) {
        set_error("unknown C++ exception");
    }
    return fallback;
}

mx::Dtype to_mlx(cmlx_dtype d);
/** Throws for MLX types Swift has no DType for (int8, complex64, …): never guessed as float32. */
cmlx_dtype from_mlx(mx::Dtype d);

/** A new handle for Swift; refuses arrays whose dtype Swift cannot name, so every handle has one. */
inline cmlx_array wrap(mx::array a) {
    from_mlx(a.dtype());
    return new cmlx_array_impl{std::move(a)};
}
inline const mx::array& unwrap(cmlx_array h) {
    if (h == nullptr) throw std::invalid_argument("[cmlx] null array handle");
    return h->a;
}
inline mx::Shape shape_of(const int* shape, int ndim) { return mx::Shape(shape, shape + ndim); }
inline std::vector<int> ints(const int* v, int n) { return std::vector<int>(v, v + n); }

}  // namespace cmlx
