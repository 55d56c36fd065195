// Elementwise math: one dispatch per arity over MLX's ops (broadcasting and type promotion are MLX's).
#include "internal.hpp"
using namespace cmlx;

static mx::array apply_unary(cmlx_unary_op op, const mx::array& a) {
    switch (op) {
        case CMLX_ABS: return mx::abs(a);
        case CMLX_NEG: return mx::negative(a);
        case CMLX_EXP: return mx::exp(a);
        case CMLX_LOG: return mx::log(a);
        case CMLX_SQRT: return mx::sqrt(a);
        case CMLX_RSQRT: return mx::rsqrt(a);
        case CMLX_SIN: return mx::sin(a);
        case CMLX_COS: return mx::cos(a);
        case CMLX_TANH: return mx::tanh(a);
        case CMLX_ERF: return mx::erf(a);
        case CMLX_SIGMOID: return mx::sigmoid(a);
        case CMLX_SQUARE: return mx::square(a);
        case CMLX_FLOOR: return mx::floor(a);
        case CMLX_CEIL: return mx::ceil(a);
        case CMLX_ROUND: return mx::round(a);
        case CMLX_LOG1P: return mx::log1p(a);
        case CMLX_RECIPROCAL: return mx::reciprocal(a);
        case CMLX_LOGICAL_NOT: return mx::logical_not(a);
        case CMLX_STOP_GRADIENT: return mx::stop_gradient(a);
        case CMLX_ISNAN: return mx::isnan(a);
        case CMLX_ERFINV: return mx::erfinv(a);
        case CMLX_COPY: return mx::copy(a);
    }
    throw std::invalid_argument("[unary] unknown op " + std::to_string(int(op)));
}

static mx::array apply_binary(cmlx_binary_op op, const mx::array& a, const mx::array& b) {
    switch (op) {
        case CMLX_ADD: return mx::add(a, b);
        case CMLX_SUB: return mx::subtract(a, b);
        case CMLX_MUL: return mx::multiply(a, b);
        case CMLX_DIV: return mx::divide(a, b);
        case CMLX_POW: return mx::power(a, b);
        case CMLX_MAXIMUM: return mx::maximum(a, b);
        case CMLX_MINIMUM: return mx::minimum(a, b);
        case CMLX_EQUAL: return mx::equal(a, b);
        case CMLX_NOT_EQUAL: return mx::not_equal(a, b);
        case CMLX_LESS: return mx::less(a, b);
        case CMLX_LESS_EQUAL: return mx::less_equal(a, b);
        case CMLX_GREATER: return mx::greater(a, b);
        case CMLX_GREATER_EQUAL: return mx::greater_equal(a, b);
        case CMLX_LOGICAL_AND: return mx::logical_and(a, b);
        case CMLX_LOGICAL_OR: return mx::logical_or(a, b);
        case CMLX_ATAN2: return mx::arctan2(a, b);
        case CMLX_REMAINDER: return mx::remainder(a, b);
        case CMLX_FLOOR_DIVIDE: return mx::floor_divide(a, b);
    }
    throw std::invalid_argument("[binary] unknown op " + std::to_string(int(op)));
}

extern "C" {

int cmlx_unary(cmlx_array* out, cmlx_unary_op op, cmlx_array a) {
    return guard([&] { *out = wrap(apply_unary(op, unwrap(a))); });
}

int cmlx_binary(cmlx_array* out, cmlx_binary_op op, cmlx_array a, cmlx_array b) {
    return guard([&] { *out = wrap(apply_binary(op, unwrap(a), unwrap(b))); });
}

int cmlx_where(cmlx_array* out, cmlx_array condition, cmlx_array a, cmlx_array b) {
    return guard([&] { *out = wrap(mx::where(unwrap(condition), unwrap(a), unwrap(b))); });
}

int cmlx_astype(cmlx_array* out, cmlx_array a, cmlx_dtype dtype) {
    return guard([&] { *out = wrap(mx::astype(unwrap(a), to_mlx(dtype))); });
}

int cmlx_clip(cmlx_array* out, cmlx_array a, cmlx_array lo, cmlx_array hi) {
    return guard([&] { *out = wrap(mx::clip(unwrap(a), unwrap(lo), unwrap(hi))); });
}

}  // extern "C"
