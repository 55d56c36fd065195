// Custom MLX primitives backed by cpu_kernels: they evaluate on CPU streams with the vectorised,
// multi-threaded kernels, and differentiate through the composed MLX expression they replace.
#include "cpu_kernels.hpp"
#include "internal.hpp"
#include "mlx/backend/cpu/encoder.h"
#include "mlx/primitives.h"

#include <numeric>
#include <optional>

using namespace cmlx;

namespace {

using Composed = std::function<std::vector<mx::array>(const std::vector<mx::array>&)>;

/// Gradients of the kernel's inputs (those in argnums) given its primals and output cotangent.
using Vjp = std::function<std::vector<mx::array>(const std::vector<mx::array>&, const mx::array&, const std::vector<int>&)>;

/// A float32 CPU kernel over row-contiguous inputs with one output shaped like input 0.
class KernelPrimitive : public mx::UnaryPrimitive {
   public:
    using Kernel = std::function<void(const std::vector<const float*>&, float*, const mx::Shape&)>;

    /// Without `vjp`, gradients are those of `composed`, the MLX expression the kernel computes.
    KernelPrimitive(mx::Stream s, const char* name, Kernel kernel, Composed composed, Vjp vjp = nullptr)
        : mx::UnaryPrimitive(s), name_(name), kernel_(std::move(kernel)), composed_(std::move(composed)), vjp_(std::move(vjp)) {}

    void eval_cpu(const std::vector<mx::array>& inputs, mx::array& out) override {
        out.set_data(mx::allocator::malloc(out.nbytes()));
        std::vector<const float*> pointers;
        for (auto& a : inputs) pointers.push_back(a.data<float>());
        auto& encoder = mx::cpu::get_command_encoder(stream());
        for (auto& a : inputs) encoder.set_input_array(a);
        encoder.set_output_array(out);
        encoder.dispatch([kernel = kernel_, pointers, y = out.data<float>(), shape = inputs[0].shape()]() { kernel(pointers, y, shape); });
    }

    void eval_gpu(const std::vector<mx::array>&, mx::array&) override {
        throw std::runtime_error(std::string("[") + name_ + "] is a CPU kernel; GPU streams use MLX's own ops");
    }

    std::vector<mx::array> vjp(const std::vector<mx::array>& primals, const std::vector<mx::array>& cotangents,
                               const std::vector<int>& argnums, const std::vector<mx::array>&) override {
        if (vjp_) return vjp_(primals, cotangents[0], argnums);
        auto grads = mx::vjp(composed_, primals, cotangents).second;
        std::vector<mx::array> result;
        for (int i : argnums) result.push_back(grads[i]);
        return result;
    }

    const char* name() const override { return name_; }

   private:
    const char* name_;
    Kernel kernel_;
    Composed composed_;
    Vjp vjp_;
};

/// Builds the kernel's output node over float32, row-contiguous copies of the inputs.
mx::array apply(const char* name, std::vector<mx::array> inputs, KernelPrimitive::Kernel kernel, Composed composed) {
    for (auto& a : inputs) {
        if (a.dtype() != mx::float32) throw std::invalid_argument(std::string("[") + name + "] takes float32 inputs");
        a = mx::contiguous(a);
    }
    auto stream = mx::default_stream(mx::Device::cpu);
    auto shape = inputs[0].shape();
    return mx::array(shape, mx::float32, std::make_shared<KernelPrimitive>(stream, name, std::move(kernel), std::move(composed)),
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

/// The 3-D kernel geometry of a channels-last 2-D/3-D convolution (2-D: a time axis of 1).
struct ConvShape {
    int in_size[3], kernel[3], lo[3], hi[3];
    int offset;  // 1 for 2-D: the leading time axis is synthetic
    size_t n, cin, cout;
    mx::Shape out_shape;

    ConvShape(const mx::array& x, const mx::array& w, const std::vector<int>& pad_lo, const std::vector<int>& pad_hi) {
        int nspatial = int(pad_lo.size());
        if (nspatial < 2 || nspatial > 3 || int(pad_hi.size()) != nspatial || int(x.ndim()) != nspatial + 2 || w.ndim() != x.ndim() ||
            w.shape(-1) != x.shape(-1))
            throw std::invalid_argument("[conv_taps] channels-last 2-D/3-D input and matching [Cout, k…, Cin] weight expected");
        offset = 3 - nspatial;
        for (int i = 0; i < 3; i++) {
            bool real = i >= offset;
            in_size[i] = real ? x.shape(1 + i - offset) : 1;
            kernel[i] = real ? w.shape(1 + i - offset) : 1;
            lo[i] = real ? pad_lo[i - offset] : 0;
            hi[i] = real ? pad_hi[i - offset] : 0;
            if (lo[i] < 0 || hi[i] < 0) throw std::invalid_argument("[conv_taps] negative padding");
            if (in_size[i] + lo[i] + hi[i] < kernel[i]) throw std::invalid_argument("[conv_taps] input smaller than the kernel");
        }
        n = x.shape(0), cin = x.shape(-1), cout = w.shape(0);
        out_shape = {int(n)};
        for (int i = offset; i < 3; i++) out_shape.push_back(in_size[i] + lo[i] + hi[i] - kernel[i] + 1);
        out_shape.push_back(int(cout));
    }
};

mx::array conv_composed(const mx::array& x, const mx::array& w, const std::vector<int>& lo, const std::vector<int>& hi) {
    auto ones = std::vector<int>(lo.size(), 1);
    return mx::conv_general(x, w, ones, lo, hi, ones, ones, 1, false);
}

mx::array float32_contiguous(const mx::array& a) {
    if (a.dtype() != mx::float32) throw std::invalid_argument("[conv_taps] takes float32 inputs");
    return mx::contiguous(a);
}

/// dL/dw of the stride-1 convolution, by the tap-GEMM kernel (its own gradient is the composed one).
mx::array conv_weight_grad(const mx::array& x, const mx::array& dy, const mx::Shape& w_shape, const std::vector<int>& lo,
                           const std::vector<int>& hi) {
    const ConvShape c(x, mx::zeros(w_shape, mx::float32), lo, hi);
    auto kernel_fn = [c](auto& in, float* dw, const mx::Shape&) {
        kernels::conv3d_weight_grad(in[0], in[1], dw, c.n, c.in_size, c.cin, c.cout, c.kernel, c.lo, c.hi);
    };
    auto composed = [w_shape, lo, hi](const std::vector<mx::array>& in) {
        auto f = [&](const std::vector<mx::array>& w) { return std::vector<mx::array>{conv_composed(in[0], w[0], lo, hi)}; };
        return mx::vjp(f, {mx::zeros(w_shape, mx::float32)}, {in[1]}).second;
    };
    return mx::array(w_shape, mx::float32,
                     std::make_shared<KernelPrimitive>(mx::default_stream(mx::Device::cpu), "conv_weight_grad", KernelPrimitive::Kernel(kernel_fn),
                                                       Composed(composed)),
                     {float32_contiguous(x), float32_contiguous(dy)});
}

/// The stride-1 convolution by the tap-GEMM kernel, bias and residual folded into its output pass.
/// Its gradients are kernels too: dx is the same convolution of dy with the flipped, transposed
/// weight (padding k−1−lo, k−1−hi), dw one GEMM per tap.
mx::array conv_taps(const mx::array& x, const mx::array& w, const std::optional<mx::array>& bias,
                    const std::optional<mx::array>& residual, const std::vector<int>& lo, const std::vector<int>& hi) {
    const ConvShape c(x, w, lo, hi);
    std::vector<mx::array> inputs{x, w};
    if (bias) inputs.push_back(*bias);
    bool has_bias = bias.has_value(), has_residual = residual.has_value();
    if (has_residual) {
        if (residual->shape() != c.out_shape) throw std::invalid_argument("[conv_taps] the residual must have the output's shape");
        inputs.push_back(*residual);
    }
    for (auto& a : inputs) a = float32_contiguous(a);
    auto composed = [=](const std::vector<mx::array>& in) {
        auto y = conv_composed(in[0], in[1], lo, hi);
        if (has_bias) y = mx::add(y, in[2]);
        if (has_residual) y = mx::add(y, in[has_bias ? 3 : 2]);
        return std::vector<mx::array>{y};
    };
    auto vjp = [=](const std::vector<mx::array>& in, const mx::array& dy, const std::vector<int>& argnums) {
        std::vector<mx::array> grads;
        for (int i : argnums) {
            if (i == 0) {
                bool full = true;
                std::vector<int> lo_t, hi_t;
                for (int a = 0; a < int(lo.size()); a++) {
                    int k = in[1].shape(1 + a);
                    lo_t.push_back(k - 1 - lo[a]);
                    hi_t.push_back(k - 1 - hi[a]);
                    full = full && lo_t.back() >= 0 && hi_t.back() >= 0;
                }
                if (!full) {  // padding wider than the kernel: MLX's own transpose convolution
                    auto f = [&](const std::vector<mx::array>& xs) { return std::vector<mx::array>{conv_composed(xs[0], in[1], lo, hi)}; };
                    grads.push_back(mx::vjp(f, {in[0]}, {dy}).second[0]);
                    continue;
                }
                auto flipped = in[1];
                for (int a = 1; a <= int(lo.size()); a++) {
                    int k = flipped.shape(a);
                    flipped = mx::take(flipped, mx::arange(k - 1, -1, -1, mx::int32), a);
                }
                grads.push_back(conv_taps(dy, mx::swapaxes(flipped, 0, -1), std::nullopt, std::nullopt, lo_t, hi_t));
            } else if (i == 1) {
                grads.push_back(conv_weight_grad(in[0], dy, in[1].shape(), lo, hi));
            } else if (i == 2 && has_bias) {
                std::vector<int> axes(dy.ndim() - 1);
                std::iota(axes.begin(), axes.end(), 0);
                grads.push_back(mx::reshape(mx::sum(dy, axes), in[2].shape()));
            } else {
                grads.push_back(dy);  // the residual
            }
        }
        return grads;
    };
    // 3×3 spatial kernels over enough channels go by Winograd (the GEMMs dominate its transforms).
    bool winograd = c.kernel[1] == 3 && c.kernel[2] == 3 && c.cin >= 32 && c.cout >= 32;
    auto kernel_fn = [=](auto& in, float* y, const mx::Shape&) {
        auto conv = winograd ? kernels::conv3d_winograd : kernels::conv3d_taps;
        conv(in[0], in[1], has_bias ? in[2] : nullptr, has_residual ? in[has_bias ? 3 : 2] : nullptr, y, c.n, c.in_size, c.cin, c.cout,
             c.kernel, c.lo, c.hi);
    };
    return mx::array(c.out_shape, mx::float32,
                     std::make_shared<KernelPrimitive>(mx::default_stream(mx::Device::cpu), "conv_taps", KernelPrimitive::Kernel(kernel_fn),
                                                       Composed(composed), Vjp(vjp)),
                     std::move(inputs));
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
    return elementwise(out, x, "gelu_tanh", kernels::gelu_tanh, gelu_tanh_composed);
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
        const auto& xa = unwrap(x);
        if (xa.ndim() < 2) throw std::invalid_argument("[group_norm] needs [N, positions…, C]");
        size_t c = xa.shape(-1), n = xa.shape(0), positions = xa.size() / std::max<size_t>(n * c, 1);
        if (groups <= 0 || c % size_t(groups) != 0)
            throw std::invalid_argument("[group_norm] " + std::to_string(c) + " channels do not split into " + std::to_string(groups) + " groups");
        bool affine = weight != nullptr && bias != nullptr;
        std::vector<mx::array> inputs{xa};
        if (affine) {
            inputs.push_back(unwrap(weight));
            inputs.push_back(unwrap(bias));
        }
        bool with_silu = silu != 0;
        *out = wrap(apply("group_norm", inputs,
                          [=](auto& in, float* y, const mx::Shape&) {
                              kernels::group_norm(in[0], affine ? in[1] : nullptr, affine ? in[2] : nullptr, y, n, positions, c,
                                                  size_t(groups), eps, with_silu);
                          },
                          [=](const std::vector<mx::array>& in) {
                              auto shape = in[0].shape();
                              auto g = mx::reshape(in[0], {shape[0], -1, groups, int(c) / groups});
                              auto mean = mx::mean(g, std::vector<int>{1, 3}, true);
                              auto centered = mx::subtract(g, mean);
                              auto var = mx::mean(mx::square(centered), std::vector<int>{1, 3}, true);
                              auto y = mx::reshape(mx::multiply(centered, mx::rsqrt(mx::add(var, mx::array(eps)))), shape);
                              if (affine) y = mx::add(mx::multiply(y, in[1]), in[2]);
                              if (with_silu) y = mx::multiply(y, mx::sigmoid(y));
                              return std::vector<mx::array>{y};
                          }));
    });
}

int cmlx_kernel_attention(cmlx_array* out, cmlx_array q, cmlx_array k, cmlx_array v, float scale) {
    return guard([&] {
        const auto &qa = unwrap(q), &ka = unwrap(k), &va = unwrap(v);
        if (qa.ndim() < 2 || ka.shape() != va.shape() || ka.ndim() != qa.ndim() || qa.shape(-1) != ka.shape(-1))
            throw std::invalid_argument("[attention] q [..., Lq, D] and k, v [..., Lk, D] must agree");
        for (int i = 0; i < int(qa.ndim()) - 2; i++)
            if (qa.shape(i) != ka.shape(i)) throw std::invalid_argument("[attention] q and k batch axes differ (no broadcasting)");
        size_t d = qa.shape(-1), lq = qa.shape(-2), lk = ka.shape(-2), batch = qa.size() / std::max<size_t>(lq * d, 1);
        *out = wrap(apply("attention", {qa, ka, va},
                          [=](auto& in, float* y, const mx::Shape&) { kernels::attention(in[0], in[1], in[2], y, batch, lq, lk, d, scale); },
                          [scale](const std::vector<mx::array>& in) {
                              auto s = mx::matmul(mx::multiply(in[0], mx::array(scale)), mx::swapaxes(in[1], -1, -2));
                              return std::vector<mx::array>{mx::matmul(mx::softmax(s, std::vector<int>{-1}, true), in[2])};
                          }));
    });
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

int cmlx_kernel_conv(cmlx_array* out, cmlx_array x, cmlx_array weight, cmlx_array bias, cmlx_array residual, const int* pad_lo,
                     const int* pad_hi, int nspatial) {
    return guard([&] {
        std::optional<mx::array> b, r;
        if (bias) b = unwrap(bias);
        if (residual) r = unwrap(residual);
        *out = wrap(conv_taps(unwrap(x), unwrap(weight), b, r, std::vector<int>(pad_lo, pad_lo + nspatial),
                              std::vector<int>(pad_hi, pad_hi + nspatial)));
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
