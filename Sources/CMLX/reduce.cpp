// Reductions, scans, softmax and sorting.
#include "internal.hpp"
using namespace cmlx;

static std::vector<int> all_axes(const mx::array& a) {
    std::vector<int> v(a.ndim());
    for (size_t i = 0; i < a.ndim(); i++) v[i] = int(i);
    return v;
}

extern "C" {

int cmlx_reduce(cmlx_array* out, cmlx_reduce_op op, cmlx_array h, const int* axes, int naxes, int keepdims) {
    return guard([&] {
        const auto& a = unwrap(h);
        auto ax = naxes == 0 ? all_axes(a) : ints(axes, naxes);
        bool keep = keepdims != 0;
        switch (op) {
            case CMLX_SUM: *out = wrap(mx::sum(a, ax, keep)); return;
            case CMLX_MEAN: *out = wrap(mx::mean(a, ax, keep)); return;
            case CMLX_MAX: *out = wrap(mx::max(a, ax, keep)); return;
            case CMLX_MIN: *out = wrap(mx::min(a, ax, keep)); return;
            case CMLX_PROD: *out = wrap(mx::prod(a, ax, keep)); return;
            case CMLX_LOGSUMEXP: *out = wrap(mx::logsumexp(a, ax, keep)); return;
            case CMLX_ALL: *out = wrap(mx::all(a, ax, keep)); return;
            case CMLX_ANY: *out = wrap(mx::any(a, ax, keep)); return;
            case CMLX_ARGMAX:
            case CMLX_ARGMIN:
                if (ax.size() != 1) throw std::invalid_argument("[argmax] takes exactly one axis");
                *out = wrap(op == CMLX_ARGMAX ? mx::argmax(a, ax[0], keep) : mx::argmin(a, ax[0], keep));
                return;
        }
        throw std::invalid_argument("[reduce] unknown op " + std::to_string(int(op)));
    });
}

int cmlx_var(cmlx_array* out, cmlx_array h, const int* axes, int naxes, int keepdims, int ddof) {
    return guard([&] {
        const auto& a = unwrap(h);
        *out = wrap(mx::var(a, naxes == 0 ? all_axes(a) : ints(axes, naxes), keepdims != 0, ddof));
    });
}

int cmlx_cumsum(cmlx_array* out, cmlx_array a, int axis, int reverse, int inclusive) {
    return guard([&] { *out = wrap(mx::cumsum(unwrap(a), axis, reverse != 0, inclusive != 0)); });
}

int cmlx_softmax(cmlx_array* out, cmlx_array a, const int* axes, int naxes, int precise) {
    return guard([&] { *out = wrap(mx::softmax(unwrap(a), ints(axes, naxes), precise != 0)); });
}

int cmlx_sort(cmlx_array* out, cmlx_array a, int axis) {
    return guard([&] { *out = wrap(mx::sort(unwrap(a), axis)); });
}

int cmlx_argsort(cmlx_array* out, cmlx_array a, int axis) {
    return guard([&] { *out = wrap(mx::argsort(unwrap(a), axis)); });
}

}  // extern "C"
