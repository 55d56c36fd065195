// MLX's fast:: ops (fused on GPU; composed fallbacks on CPU, see notes/runtime-mlx-x86.md).
#include "internal.hpp"
using namespace cmlx;

static std::optional<mx::array> optional(cmlx_array h) {
    if (h == nullptr) return std::nullopt;
    return h->a;
}

extern "C" {

int cmlx_fast_layer_norm(cmlx_array* out, cmlx_array x, cmlx_array weight, cmlx_array bias, float eps) {
    return guard([&] { *out = wrap(mx::fast::layer_norm(unwrap(x), optional(weight), optional(bias), eps)); });
}

int cmlx_fast_rms_norm(cmlx_array* out, cmlx_array x, cmlx_array weight, float eps) {
    return guard([&] { *out = wrap(mx::fast::rms_norm(unwrap(x), optional(weight), eps)); });
}

int cmlx_fast_rope(cmlx_array* out, cmlx_array x, int dims, int traditional, float base, float scale, int offset,
                   cmlx_array freqs) {
    return guard([&] {
        std::optional<float> b = freqs == nullptr ? std::optional<float>(base) : std::nullopt;
        *out = wrap(mx::fast::rope(unwrap(x), dims, traditional != 0, b, scale, offset, optional(freqs)));
    });
}

int cmlx_fast_sdpa(cmlx_array* out, cmlx_array q, cmlx_array k, cmlx_array v, float scale, cmlx_array mask) {
    return guard([&] {
        if (mask == nullptr) {
            *out = wrap(mx::fast::scaled_dot_product_attention(unwrap(q), unwrap(k), unwrap(v), scale));
        } else {
            *out = wrap(mx::fast::scaled_dot_product_attention(unwrap(q), unwrap(k), unwrap(v), scale, "array",
                                                               unwrap(mask)));
        }
    });
}

}  // extern "C"
