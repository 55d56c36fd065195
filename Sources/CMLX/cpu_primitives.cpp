// Custom MLX primitives backed by cpu_kernels: they evaluate on CPU streams with the vectorised,
// multi-threaded kernels; RoPE and the transpose differentiate by their inverse (the kernel again),
// GELU, attention and GroupNorm by backward kernels (gelu_tanh_grad, attention_backward,
// group_norm_backward), the others through the
// composed MLX expression they replace. Convolution: cpu_conv_primitives.cpp.
#include "cpu_kernels.hpp"
#include "kernel_primitive.hpp"

#include <optional>

using namespace cmlx;

namespace {

/// Builds the kernel's output node over float32, row-contiguous copies of the inputs.
mx::array apply(const char* name, std::vector<mx::array> inputs, KernelPrimitive::Kernel kernel, Composed composed, Vjp vjp = nullptr,
                std::optional<mx::Shape> out_shape = std::nullopt) {
    for (auto& a : inputs) {
        if (a.dtype() != mx::float32) throw std::invalid_argument(std::string("[") + name + "] takes float32 inputs");
        a = mx::contiguous(a);
    }
    auto stream = mx::default_stream(mx::Device::cpu);
    auto shape = out_shape.value_or(inputs[0].shape());
    return mx::array(shape, mx::float32,
                     std::make_shared<KernelPrimitive>(stream, name, std::move(kernel), std::move(composed), std::move(vjp)),
                     std::move(inputs));
}

mx::array gelu_tanh_composed(const mx::array& x) {
    auto inner = mx::multiply(mx::array(0.7978845608028654f), mx::add(x, mx::multiply(mx::array(0.044715f), mx::power(x, mx::array(3.0f)))));
    return mx::multiply(mx::multiply(mx::array(0.5f), x), mx::add(mx::array(1.0f), mx::tanh(inner)));
}

mx::array layer_norm_modulate_composed(const mx::array& x, const mx::array* shift, const mx::array* scale, float eps) {
    auto y = mx::fast::layer_norm(x, std::nullopt, std::nullopt, eps);
    if (shift && scale) y = mx::add(mx::multiply(y, mx::add(mx::array(1.0f), *scale)), *shift);
    return y;
}

/// The interleaved rotary embedding as MLX ops (rotary-embedding-torch's rotate_queries_or_keys).
mx::array rope_composed(const mx::array& x, const mx::array& freqs, float sign) {
    int length = x.shape(-2), d = x.shape(-1);
    auto angles = mx::multiply(mx::reshape(mx::arange(0.0, double(length), 1.0, mx::float32), {length, 1}), mx::reshape(freqs, {1, -1}));
    auto cos = mx::cos(angles), sin = mx::multiply(mx::array(sign), mx::sin(angles));
    auto pairs_shape = x.shape();
    pairs_shape.back() = d / 2;
    pairs_shape.push_back(2);
    auto halves = mx::split(mx::reshape(x, pairs_shape), 2, -1);
    auto even = mx::squeeze(halves[0], -1), odd = mx::squeeze(halves[1], -1);
    auto rotated = mx::stack({mx::subtract(mx::multiply(even, cos), mx::multiply(odd, sin)),
                              mx::add(mx::multiply(odd, cos), mx::multiply(even, sin))},
                             -1);
    return mx::reshape(rotated, x.shape());
}

/// Rotary embedding by the kernel; its gradient is the inverse rotation (the kernel again).
mx::array rope_kernel(const mx::array& x, const mx::array& freqs, float sign) {
    if (x.ndim() < 2 || x.shape(-1) % 2 != 0 || size_t(freqs.size()) * 2 != size_t(x.shape(-1)))
        throw std::invalid_argument("[rope] x [..., L, D] with D = 2 × the number of frequencies expected");
    size_t length = x.shape(-2), d = x.shape(-1), slices = x.size() / std::max<size_t>(length * d, 1);
    auto kernel_fn = [=](auto& in, float* y, const mx::Shape&) { kernels::rope_interleaved(in[0], in[1], y, slices, length, d, sign); };
    auto composed = [sign](const std::vector<mx::array>& in) { return std::vector<mx::array>{rope_composed(in[0], in[1], sign)}; };
    auto vjp = [sign, composed](const std::vector<mx::array>& in, const mx::array& dy, const std::vector<int>& argnums) {
        std::vector<mx::array> grads;
        for (int i : argnums) grads.push_back(i == 0 ? rope_kernel(dy, in[1], -sign) : mx::vjp(composed, in, {dy}).second[1]);
        return grads;
    };
    std::vector<mx::array> inputs{x, mx::reshape(freqs, {-1})};
    for (auto& a : inputs) {
        if (a.dtype() != mx::float32) throw std::invalid_argument("[rope] takes float32 inputs");
        a = mx::contiguous(a);
    }
    return mx::array(x.shape(), mx::float32,
                     std::make_shared<KernelPrimitive>(mx::default_stream(mx::Device::cpu), "rope", KernelPrimitive::Kernel(kernel_fn),
                                                       Composed(composed), Vjp(vjp)),
                     std::move(inputs));
}

/// x transposed by `perm` and materialised row-contiguous by the threaded copy; its gradient is the
/// inverse transpose (the kernel again).
mx::array transpose_kernel(const mx::array& x, const std::vector<int>& perm) {
    size_t ndim = x.ndim();
    std::vector<bool> seen(ndim, false);
    if (perm.size() != ndim) throw std::invalid_argument("[transpose] needs one axis per dimension");
    for (int p : perm) {
        if (p < 0 || size_t(p) >= ndim || seen[p]) throw std::invalid_argument("[transpose] axes must be a permutation");
        seen[p] = true;
    }
    if (x.dtype() != mx::float32) throw std::invalid_argument("[transpose] takes float32 input");
    mx::Shape out_shape;
    std::vector<int> inverse(ndim);
    for (size_t i = 0; i < ndim; i++) out_shape.push_back(x.shape(perm[i])), inverse[perm[i]] = int(i);
    std::vector<size_t> shape(x.shape().begin(), x.shape().end()), p(perm.begin(), perm.end());
    auto kernel_fn = [shape, p](auto& in, float* y, const mx::Shape&) { kernels::transpose_copy(in[0], y, shape.data(), p.data(), shape.size()); };
    auto composed = [perm](const std::vector<mx::array>& in) { return std::vector<mx::array>{mx::transpose(in[0], perm)}; };
    auto vjp = [inverse](const std::vector<mx::array>&, const mx::array& dy, const std::vector<int>&) {
        return std::vector<mx::array>{transpose_kernel(dy, inverse)};
    };
    return mx::array(out_shape, mx::float32,
                     std::make_shared<KernelPrimitive>(mx::default_stream(mx::Device::cpu), "transpose", KernelPrimitive::Kernel(kernel_fn),
                                                       Composed(composed), Vjp(vjp)),
                     {mx::contiguous(x)});
}

/// GroupNorm (+ SiLU) over channels-last [N, positions…, C] as MLX ops: the kernels' reference.
mx::array group_norm_composed(const std::vector<mx::array>& in, int groups, float eps, bool affine, bool with_silu) {
    auto shape = in[0].shape();
    int c = shape.back();
    auto g = mx::reshape(in[0], {shape[0], -1, groups, c / groups});
    auto mean = mx::mean(g, std::vector<int>{1, 3}, true);
    auto centered = mx::subtract(g, mean);
    auto var = mx::mean(mx::square(centered), std::vector<int>{1, 3}, true);
    auto y = mx::reshape(mx::multiply(centered, mx::rsqrt(mx::add(var, mx::array(eps)))), shape);
    if (affine) y = mx::add(mx::multiply(y, in[1]), in[2]);
    if (with_silu) y = mx::multiply(y, mx::sigmoid(y));
    return y;
}

struct GroupNormShape {
    size_t n, positions, c;
    GroupNormShape(const mx::array& x, int groups) {
        if (x.ndim() < 2) throw std::invalid_argument("[group_norm] needs [N, positions…, C]");
        c = x.shape(-1), n = x.shape(0), positions = x.size() / std::max<size_t>(n * c, 1);
        if (groups <= 0 || c % size_t(groups) != 0)
            throw std::invalid_argument("[group_norm] " + std::to_string(c) + " channels do not split into " + std::to_string(groups) + " groups");
    }
};

/// [dx, dweight, dbias] (the last two with the affine only) flattened into one array by the backward
/// kernel; its own gradient is that of the composed VJP, packed the same way.
mx::array group_norm_backward_kernel(const std::vector<mx::array>& primals, const mx::array& dy, int groups, float eps, bool with_silu) {
    const GroupNormShape g(primals[0], groups);
    bool affine = primals.size() == 3;
    if (dy.shape() != primals[0].shape()) throw std::invalid_argument("[group_norm_backward] the cotangent must have x's shape");
    std::vector<mx::array> inputs = primals;
    inputs.push_back(dy);
    size_t xs = primals[0].size();
    int total = int(xs + (affine ? 2 * g.c : 0));
    return apply("group_norm_backward", inputs,
                 [=](auto& in, float* out, const mx::Shape&) {
                     kernels::group_norm_backward(in[0], affine ? in[1] : nullptr, affine ? in[2] : nullptr, in[affine ? 3 : 1], out,
                                                  affine ? out + xs : nullptr, affine ? out + xs + g.c : nullptr, g.n, g.positions, g.c,
                                                  size_t(groups), eps, with_silu);
                 },
                 [=](const std::vector<mx::array>& in) {
                     std::vector<mx::array> p(in.begin(), in.end() - 1);
                     auto f = [=](const std::vector<mx::array>& q) { return std::vector<mx::array>{group_norm_composed(q, groups, eps, affine, with_silu)}; };
                     auto grads = mx::vjp(f, p, {in.back()}).second;
                     for (auto& gr : grads) gr = mx::reshape(gr, {-1});
                     return std::vector<mx::array>{mx::concatenate(grads)};
                 },
                 nullptr, mx::Shape{total});
}

mx::array group_norm_kernel(const mx::array& x, const std::optional<mx::array>& weight, const std::optional<mx::array>& bias, int groups,
                            float eps, bool with_silu) {
    const GroupNormShape g(x, groups);
    bool affine = weight.has_value() && bias.has_value();
    std::vector<mx::array> inputs{x};
    if (affine) {
        if (weight->size() != g.c || bias->size() != g.c) throw std::invalid_argument("[group_norm] weight and bias need one value per channel");
        inputs.push_back(mx::reshape(*weight, {int(g.c)}));
        inputs.push_back(mx::reshape(*bias, {int(g.c)}));
    }
    return apply("group_norm", inputs,
                 [=](auto& in, float* y, const mx::Shape&) {
                     kernels::group_norm(in[0], affine ? in[1] : nullptr, affine ? in[2] : nullptr, y, g.n, g.positions, g.c, size_t(groups),
                                         eps, with_silu);
                 },
                 [=](const std::vector<mx::array>& in) { return std::vector<mx::array>{group_norm_composed(in, groups, eps, affine, with_silu)}; },
                 [=](const std::vector<mx::array>& in, const mx::array& dy, const std::vector<int>& argnums) {
                     auto packed = group_norm_backward_kernel(in, mx::astype(dy, mx::float32), groups, eps, with_silu);
                     int xs = int(in[0].size()), c = int(g.c);
                     int offsets[4] = {0, xs, xs + c, xs + 2 * c};
                     std::vector<mx::array> grads;
                     for (int i : argnums) grads.push_back(mx::reshape(mx::slice(packed, {offsets[i]}, {offsets[i + 1]}), in[i].shape()));
                     return grads;
                 });
}

/// dy·gelu_tanh'(x) by the kernel; its own gradient is that of the composed VJP.
mx::array gelu_tanh_grad_kernel(const mx::array& x, const mx::array& dy) {
    if (x.shape() != dy.shape()) throw std::invalid_argument("[gelu_tanh_grad] x and dy must have one shape");
    return apply("gelu_tanh_grad", {x, dy},
                 [n = size_t(x.size())](auto& in, float* dx, const mx::Shape&) { kernels::gelu_tanh_grad(in[0], in[1], dx, n); },
                 [](const std::vector<mx::array>& in) {
                     auto f = [](const std::vector<mx::array>& p) { return std::vector<mx::array>{gelu_tanh_composed(p[0])}; };
                     return mx::vjp(f, {in[0]}, {in[1]}).second;
                 });
}

mx::array gelu_tanh_kernel(const mx::array& x) {
    return apply("gelu_tanh", {x},
                 [n = size_t(x.size())](auto& in, float* y, const mx::Shape&) { kernels::gelu_tanh(in[0], y, n); },
                 [](const std::vector<mx::array>& in) { return std::vector<mx::array>{gelu_tanh_composed(in[0])}; },
                 [](const std::vector<mx::array>& in, const mx::array& dy, const std::vector<int>&) {
                     return std::vector<mx::array>{gelu_tanh_grad_kernel(in[0], dy)};
                 });
}

mx::array attention_composed(const mx::array& q, const mx::array& k, const mx::array& v, float scale) {
    auto s = mx::matmul(mx::multiply(q, mx::array(scale)), mx::swapaxes(k, -1, -2));
    return mx::matmul(mx::softmax(s, std::vector<int>{-1}, true), v);
}

/// [dq, dk, dv] of the unmasked attention flattened into one array by the backward kernel (its own
/// gradient is that of the composed VJP, packed the same way).
mx::array attention_backward_kernel(const mx::array& q, const mx::array& k, const mx::array& v, const mx::array& dy, float scale) {
    size_t d = q.shape(-1), lq = q.shape(-2), lk = k.shape(-2), batch = q.size() / std::max<size_t>(lq * d, 1);
    size_t qs = q.size(), ks = k.size();
    if (dy.shape() != q.shape()) throw std::invalid_argument("[attention_backward] the cotangent must have q's shape");
    return apply("attention_backward", {q, k, v, dy},
                 [=](auto& in, float* g, const mx::Shape&) {
                     kernels::attention_backward(in[0], in[1], in[2], in[3], g, g + qs, g + qs + ks, batch, lq, lk, d, scale);
                 },
                 [scale](const std::vector<mx::array>& in) {
                     auto f = [scale](const std::vector<mx::array>& p) { return std::vector<mx::array>{attention_composed(p[0], p[1], p[2], scale)}; };
                     auto g = mx::vjp(f, {in[0], in[1], in[2]}, {in[3]}).second;
                     return std::vector<mx::array>{mx::concatenate({mx::reshape(g[0], {-1}), mx::reshape(g[1], {-1}), mx::reshape(g[2], {-1})})};
                 },
                 nullptr, mx::Shape{int(qs + 2 * ks)});
}

/// softmax(scale·q·kᵀ)·v by the kernel; gradients by the backward kernel.
mx::array attention_kernel(const mx::array& qa, const mx::array& ka, const mx::array& va, float scale) {
    if (qa.ndim() < 2 || ka.shape() != va.shape() || ka.ndim() != qa.ndim() || qa.shape(-1) != ka.shape(-1))
        throw std::invalid_argument("[attention] q [..., Lq, D] and k, v [..., Lk, D] must agree");
    for (int i = 0; i < int(qa.ndim()) - 2; i++)
        if (qa.shape(i) != ka.shape(i)) throw std::invalid_argument("[attention] q and k batch axes differ (no broadcasting)");
    size_t d = qa.shape(-1), lq = qa.shape(-2), lk = ka.shape(-2), batch = qa.size() / std::max<size_t>(lq * d, 1);
    return apply("attention", {qa, ka, va},
                 [=](auto& in, float* y, const mx::Shape&) { kernels::attention(in[0], in[1], in[2], y, batch, lq, lk, d, scale); },
                 [scale](const std::vector<mx::array>& in) { return std::vector<mx::array>{attention_composed(in[0], in[1], in[2], scale)}; },
                 [scale](const std::vector<mx::array>& in, const mx::array& dy, const std::vector<int>& argnums) {
                     auto packed = attention_backward_kernel(in[0], in[1], in[2], mx::astype(dy, mx::float32), scale);
                     int offsets[4] = {0, int(in[0].size()), int(in[0].size() + in[1].size()), int(in[0].size() + 2 * in[1].size())};
                     std::vector<mx::array> grads;
                     for (int i : argnums) grads.push_back(mx::reshape(mx::slice(packed, {offsets[i]}, {offsets[i + 1]}), in[i].shape()));
                     return grads;
                 });
}

}  // namespace

extern "C" {

/// An elementwise kernel over every element of x.
static int elementwise(cmlx_array* out, cmlx_array x, const char* name, void (*kernel)(const float*, float*, size_t),
                       mx::array (*composed)(const mx::array&)) {
    return guard([&] {
        *out = wrap(apply(name, {unwrap(x)},
                          [kernel](auto& in, float* y, const mx::Shape& s) {
                              size_t n = 1;
                              for (int d : s) n *= size_t(d);
                              kernel(in[0], y, n);
                          },
                          [composed](const std::vector<mx::array>& in) { return std::vector<mx::array>{composed(in[0])}; }));
    });
}

static mx::array silu_composed(const mx::array& x) { return mx::multiply(x, mx::sigmoid(x)); }

int cmlx_kernel_gelu_tanh(cmlx_array* out, cmlx_array x) {
    return guard([&] { *out = wrap(gelu_tanh_kernel(unwrap(x))); });
}

int cmlx_kernel_silu(cmlx_array* out, cmlx_array x) { return elementwise(out, x, "silu", kernels::silu, silu_composed); }

int cmlx_kernel_layer_norm_modulate(cmlx_array* out, cmlx_array x, cmlx_array shift, cmlx_array scale, float eps) {
    return guard([&] {
        const auto& xa = unwrap(x);
        if (xa.ndim() < 1) throw std::invalid_argument("[layer_norm_modulate] needs at least 1-D input");
        size_t c = xa.shape(-1), rows = xa.size() / std::max<size_t>(c, 1);
        std::vector<mx::array> inputs{xa};
        size_t rows_per_group = rows;
        if (shift && scale) {
            // shift/scale [B, 1, C] against x [B, N, C]: one modulation row per group of N rows.
            const auto& sh = unwrap(shift);
            const auto& sc = unwrap(scale);
            size_t groups = sh.size() / std::max<size_t>(c, 1);
            if (sh.shape() != sc.shape() || sh.shape(-1) != int(c) || groups == 0 || rows % groups != 0)
                throw std::invalid_argument("[layer_norm_modulate] shift/scale must be [B, 1, C] with B dividing the rows of x");
            rows_per_group = rows / groups;
            inputs.push_back(sh);
            inputs.push_back(sc);
        }
        bool modulated = inputs.size() == 3;
        *out = wrap(apply("layer_norm_modulate", inputs,
                          [c, rows, rows_per_group, eps, modulated](auto& in, float* y, const mx::Shape&) {
                              kernels::layer_norm_modulate(in[0], modulated ? in[1] : nullptr, modulated ? in[2] : nullptr, y,
                                                           rows, c, rows_per_group, eps);
                          },
                          [eps, modulated](const std::vector<mx::array>& in) {
                              return std::vector<mx::array>{
                                  layer_norm_modulate_composed(in[0], modulated ? &in[1] : nullptr, modulated ? &in[2] : nullptr, eps)};
                          }));
    });
}

int cmlx_kernel_group_norm(cmlx_array* out, cmlx_array x, cmlx_array weight, cmlx_array bias, int groups, float eps, int silu) {
    return guard([&] {
        std::optional<mx::array> w, b;
        if (weight && bias) w = unwrap(weight), b = unwrap(bias);
        *out = wrap(group_norm_kernel(unwrap(x), w, b, groups, eps, silu != 0));
    });
}

int cmlx_kernel_attention(cmlx_array* out, cmlx_array q, cmlx_array k, cmlx_array v, float scale) {
    return guard([&] { *out = wrap(attention_kernel(unwrap(q), unwrap(k), unwrap(v), scale)); });
}

int cmlx_kernel_rms_norm(cmlx_array* out, cmlx_array x, cmlx_array weight, float eps) {
    return guard([&] {
        const auto& xa = unwrap(x);
        size_t c = xa.ndim() > 0 ? xa.shape(-1) : 1, rows = xa.size() / std::max<size_t>(c, 1);
        std::vector<mx::array> inputs{xa};
        if (weight) {
            if (unwrap(weight).size() != c) throw std::invalid_argument("[rms_norm] weight must have the last axis' size");
            inputs.push_back(mx::reshape(unwrap(weight), {int(c)}));
        }
        bool has_weight = weight != nullptr;
        *out = wrap(apply("rms_norm", inputs,
                          [=](auto& in, float* y, const mx::Shape&) { kernels::rms_norm(in[0], has_weight ? in[1] : nullptr, y, rows, c, eps); },
                          [=](const std::vector<mx::array>& in) {
                              std::optional<mx::array> w;
                              if (has_weight) w = in[1];
                              return std::vector<mx::array>{mx::fast::rms_norm(in[0], w, eps)};
                          }));
    });
}

int cmlx_kernel_gated_residual(cmlx_array* out, cmlx_array x, cmlx_array gate, cmlx_array o) {
    return guard([&] {
        const auto &xa = unwrap(x), &ga = unwrap(gate), &oa = unwrap(o);
        size_t c = xa.shape(-1), rows = xa.size() / std::max<size_t>(c, 1), groups = ga.size() / std::max<size_t>(c, 1);
        if (oa.shape() != xa.shape() || ga.shape(-1) != int(c) || groups == 0 || rows % groups != 0)
            throw std::invalid_argument("[gated_residual] x, o [B, N, C] and gate [B, 1, C] must agree");
        size_t rows_per_group = rows / groups;
        *out = wrap(apply("gated_residual", {xa, ga, oa},
                          [=](auto& in, float* y, const mx::Shape&) { kernels::gated_residual(in[0], in[1], in[2], y, rows, c, rows_per_group); },
                          [](const std::vector<mx::array>& in) {
                              return std::vector<mx::array>{mx::add(in[0], mx::multiply(in[1], in[2]))};
                          }));
    });
}

int cmlx_kernel_upsample_nearest2x(cmlx_array* out, cmlx_array x) {
    return guard([&] {
        const auto& xa = unwrap(x);
        if (xa.ndim() != 4) throw std::invalid_argument("[upsample_nearest2x] expects channels-last images [N, H, W, C]");
        size_t n = xa.shape(0), h = xa.shape(1), w = xa.shape(2), c = xa.shape(3);
        mx::Shape shape{int(n), int(2 * h), int(2 * w), int(c)};
        std::vector<mx::array> inputs{mx::contiguous(xa)};
        if (xa.dtype() != mx::float32) throw std::invalid_argument("[upsample_nearest2x] takes float32 input");
        auto kernel_fn = [=](auto& in, float* y, const mx::Shape&) { kernels::upsample_nearest2x(in[0], y, n, h, w, c); };
        auto composed = [](const std::vector<mx::array>& in) {
            return std::vector<mx::array>{mx::repeat(mx::repeat(in[0], 2, 1), 2, 2)};
        };
        *out = wrap(mx::array(shape, mx::float32,
                              std::make_shared<KernelPrimitive>(mx::default_stream(mx::Device::cpu), "upsample_nearest2x",
                                                                KernelPrimitive::Kernel(kernel_fn), Composed(composed)),
                              std::move(inputs)));
    });
}

int cmlx_kernel_softmax(cmlx_array* out, cmlx_array x) {
    return guard([&] {
        const auto& xa = unwrap(x);
        size_t c = xa.ndim() > 0 ? xa.shape(-1) : 1;
        *out = wrap(apply("softmax", {xa},
                          [c](auto& in, float* y, const mx::Shape& s) {
                              size_t n = 1;
                              for (int d : s) n *= size_t(d);
                              kernels::softmax_rows(in[0], y, n / std::max<size_t>(c, 1), c);
                          },
                          [](const std::vector<mx::array>& in) {
                              return std::vector<mx::array>{mx::softmax(in[0], std::vector<int>{-1}, true)};
                          }));
    });
}

int cmlx_kernel_rope(cmlx_array* out, cmlx_array x, cmlx_array freqs) {
    return guard([&] { *out = wrap(rope_kernel(unwrap(x), unwrap(freqs), 1.0f)); });
}

int cmlx_kernel_transpose(cmlx_array* out, cmlx_array x, const int* axes, int naxes) {
    return guard([&] { *out = wrap(transpose_kernel(unwrap(x), std::vector<int>(axes, axes + naxes))); });
}

}  // extern "C"
