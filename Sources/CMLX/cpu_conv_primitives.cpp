// The convolution as a custom MLX primitive over cpu_conv_kernels: forward by Winograd or per-tap
// GEMMs, gradients by the same kernels (dx: the flipped convolution, over the stride-dilated dy for a
// strided one; dw: one GEMM per tap).
#include <algorithm>
#include <numeric>
#include <optional>
#include "cpu_kernels.hpp"
#include "cpu_parallel.hpp"
#include "kernel_primitive.hpp"

using namespace cmlx;

namespace {

/// The 3-D kernel geometry of a channels-last 2-D/3-D convolution (2-D: a time axis of 1).
struct ConvShape {
    int in_size[3], kernel[3], stride[3], lo[3], hi[3];
    size_t n, cin, cout;
    mx::Shape out_shape;

    ConvShape(const mx::array& x, const mx::Shape& w, const std::vector<int>& strides, const std::vector<int>& pad_lo,
              const std::vector<int>& pad_hi) {
        int nspatial = int(pad_lo.size());
        if (nspatial < 2 || nspatial > 3 || int(pad_hi.size()) != nspatial || int(strides.size()) != nspatial ||
            int(x.ndim()) != nspatial + 2 || int(w.size()) != nspatial + 2 || w.back() != x.shape(-1))
            throw std::invalid_argument("[conv_taps] channels-last 2-D/3-D input and matching [Cout, k…, Cin] weight expected");
        int offset = 3 - nspatial;  // 2-D: the leading time axis is synthetic
        for (int i = 0; i < 3; i++) {
            bool real = i >= offset;
            in_size[i] = real ? x.shape(1 + i - offset) : 1;
            kernel[i] = real ? w[1 + i - offset] : 1;
            stride[i] = real ? strides[i - offset] : 1;
            lo[i] = real ? pad_lo[i - offset] : 0;
            hi[i] = real ? pad_hi[i - offset] : 0;
            if (lo[i] < 0 || hi[i] < 0 || stride[i] < 1) throw std::invalid_argument("[conv_taps] negative padding or stride below 1");
            if (in_size[i] + lo[i] + hi[i] < kernel[i]) throw std::invalid_argument("[conv_taps] input smaller than the kernel");
        }
        n = x.shape(0), cin = x.shape(-1), cout = w[0];
        out_shape = {int(n)};
        for (int i = offset; i < 3; i++) out_shape.push_back((in_size[i] + lo[i] + hi[i] - kernel[i]) / stride[i] + 1);
        out_shape.push_back(int(cout));
    }

    bool spatial_stride() const { return stride[1] != 1 || stride[2] != 1; }
    bool unit_stride() const { return !spatial_stride() && stride[0] == 1; }
};

mx::array conv_composed(const mx::array& x, const mx::array& w, const std::vector<int>& strides, const std::vector<int>& lo,
                        const std::vector<int>& hi) {
    auto ones = std::vector<int>(lo.size(), 1);
    return mx::conv_general(x, w, strides, lo, hi, ones, ones, 1, false);
}

mx::array float32_contiguous(const mx::array& a) {
    if (a.dtype() != mx::float32) throw std::invalid_argument("[conv_taps] takes float32 inputs");
    return mx::contiguous(a);
}

/// dL/dw of the convolution, by the tap-GEMM kernel (its own gradient is the composed one).
mx::array conv_weight_grad(const mx::array& x, const mx::array& dy, const mx::Shape& w_shape, const std::vector<int>& strides,
                           const std::vector<int>& lo, const std::vector<int>& hi) {
    const ConvShape c(x, w_shape, strides, lo, hi);
    auto kernel_fn = [c](auto& in, float* dw, const mx::Shape&) {
        kernels::conv3d_weight_grad(in[0], in[1], dw, c.n, c.in_size, c.cin, c.cout, c.kernel, c.stride, c.lo, c.hi);
    };
    auto composed = [=](const std::vector<mx::array>& in) {
        auto f = [&](const std::vector<mx::array>& w) { return std::vector<mx::array>{conv_composed(in[0], w[0], strides, lo, hi)}; };
        return mx::vjp(f, {mx::zeros(w_shape, mx::float32)}, {in[1]}).second;
    };
    return mx::array(w_shape, mx::float32,
                     std::make_shared<KernelPrimitive>(mx::default_stream(mx::Device::cpu), "conv_weight_grad", KernelPrimitive::Kernel(kernel_fn),
                                                       Composed(composed)),
                     {float32_contiguous(x), float32_contiguous(dy)});
}

mx::array conv_taps(const mx::array& x, const mx::array& w, const std::optional<mx::array>& bias, const std::optional<mx::array>& residual,
                    const std::vector<int>& strides, const std::vector<int>& lo, const std::vector<int>& hi);

/// w [cout, k…, cin] flipped along every kernel axis with cout and cin swapped, [cin, k…, cout], in one
/// threaded pass (flipping every axis of a row-major tap index reverses it). An involution, so its
/// gradient is itself.
mx::array flipped_transposed_weight(const mx::array& w) {
    if (w.ndim() < 3) throw std::invalid_argument("[conv_taps] weight [Cout, k…, Cin] expected");
    size_t cout = w.shape(0), cin = w.shape(-1), taps = w.size() / std::max<size_t>(cout * cin, 1);
    mx::Shape shape = w.shape();
    std::swap(shape.front(), shape.back());
    auto kernel_fn = [=](auto& in, float* y, const mx::Shape&) {
        const float* x = in[0];
        // Jobs of one tap × 16 input channels: each source read is one 64-byte run, each of the 16
        // output rows is written in order.
        const size_t blocks = (cin + 15) / 16;
        cpu::ThreadPool::shared().parallel_for(taps * blocks, 1, [&](size_t lo, size_t hi) {
            for (size_t job = lo; job < hi; job++) {
                size_t t = job / blocks, i0 = (job % blocks) * 16, ni = std::min<size_t>(16, cin - i0);
                const float* src = x + (taps - 1 - t) * cin + i0;
                for (size_t o = 0; o < cout; o++) {
                    const float* run = src + o * taps * cin;
                    for (size_t ii = 0; ii < ni; ii++) y[((i0 + ii) * taps + t) * cout + o] = run[ii];
                }
            }
        });
    };
    auto composed = [](const std::vector<mx::array>& in) {
        auto f = in[0];
        for (int a = 1; a + 1 < int(f.ndim()); a++) f = mx::take(f, mx::arange(f.shape(a) - 1, -1, -1, mx::int32), a);
        return std::vector<mx::array>{mx::swapaxes(f, 0, -1)};
    };
    auto vjp = [](const std::vector<mx::array>&, const mx::array& dy, const std::vector<int>&) {
        return std::vector<mx::array>{flipped_transposed_weight(dy)};
    };
    return mx::array(shape, mx::float32,
                     std::make_shared<KernelPrimitive>(mx::default_stream(mx::Device::cpu), "flipped_transposed_weight",
                                                       KernelPrimitive::Kernel(kernel_fn), Composed(composed), Vjp(vjp)),
                     {float32_contiguous(w)});
}

/// dL/dx of a convolution is the unit-stride convolution of dy — dilated by the stride (zeros between
/// its elements) — with the flipped, transposed weight under padding (k−1−lo, k−1−hi + r), where r are
/// the input rows the strided windows never reached; nullopt where that padding would be negative.
std::optional<mx::array> conv_input_grad(const mx::array& dy, const mx::array& w, const mx::Shape& x_shape, const std::vector<int>& strides,
                                         const std::vector<int>& lo, const std::vector<int>& hi) {
    std::vector<int> lo_t, hi_t;
    for (int a = 0; a < int(lo.size()); a++) {
        int k = w.shape(1 + a), n = x_shape[1 + a];
        lo_t.push_back(k - 1 - lo[a]);
        hi_t.push_back(k - 1 - hi[a] + (n + lo[a] + hi[a] - k) % strides[a]);
        if (lo_t.back() < 0 || hi_t.back() < 0) return std::nullopt;
    }
    auto g = dy;
    if (std::any_of(strides.begin(), strides.end(), [](int s) { return s > 1; })) {
        mx::Shape dilated = dy.shape(), start(dy.ndim(), 0), step(dy.ndim(), 1);
        for (int a = 0; a < int(strides.size()); a++) {
            dilated[1 + a] = (dy.shape(1 + a) - 1) * strides[a] + 1;
            step[1 + a] = strides[a];
        }
        g = mx::slice_update(mx::zeros(dilated, mx::float32), dy, start, dilated, step);
    }
    return conv_taps(g, flipped_transposed_weight(w), std::nullopt, std::nullopt, std::vector<int>(lo.size(), 1), lo_t, hi_t);
}

/// The convolution by the CPU kernels, bias and residual folded into its output pass. 3×3 spatial
/// kernels over ≥ 32 channels without spatial stride go by Winograd (its GEMMs dominate its transforms).
mx::array conv_taps(const mx::array& x, const mx::array& w, const std::optional<mx::array>& bias, const std::optional<mx::array>& residual,
                    const std::vector<int>& strides, const std::vector<int>& lo, const std::vector<int>& hi) {
    const ConvShape c(x, w.shape(), strides, lo, hi);
    std::vector<mx::array> inputs{x, w};
    if (bias) inputs.push_back(*bias);
    bool has_bias = bias.has_value(), has_residual = residual.has_value();
    if (has_residual) {
        if (residual->shape() != c.out_shape) throw std::invalid_argument("[conv_taps] the residual must have the output's shape");
        inputs.push_back(*residual);
    }
    for (auto& a : inputs) a = float32_contiguous(a);
    auto composed = [=](const std::vector<mx::array>& in) {
        auto y = conv_composed(in[0], in[1], strides, lo, hi);
        if (has_bias) y = mx::add(y, in[2]);
        if (has_residual) y = mx::add(y, in[has_bias ? 3 : 2]);
        return std::vector<mx::array>{y};
    };
    auto vjp = [=](const std::vector<mx::array>& in, const mx::array& dy, const std::vector<int>& argnums) {
        std::vector<mx::array> grads;
        for (int i : argnums) {
            if (i == 0) {
                auto dx = conv_input_grad(dy, in[1], in[0].shape(), strides, lo, hi);
                if (!dx) {  // padding wider than the kernel: MLX's own transposed convolution
                    auto f = [&](const std::vector<mx::array>& xs) { return std::vector<mx::array>{conv_composed(xs[0], in[1], strides, lo, hi)}; };
                    dx = mx::vjp(f, {in[0]}, {dy}).second[0];
                }
                grads.push_back(*dx);
            } else if (i == 1) {
                grads.push_back(conv_weight_grad(in[0], dy, in[1].shape(), strides, lo, hi));
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
    bool winograd = c.kernel[1] == 3 && c.kernel[2] == 3 && !c.spatial_stride() && c.cin >= 32 && c.cout >= 32;
    auto kernel_fn = [=](auto& in, float* y, const mx::Shape&) {
        const float *b = has_bias ? in[2] : nullptr, *r = has_residual ? in[has_bias ? 3 : 2] : nullptr;
        if (winograd)
            kernels::conv3d_winograd(in[0], in[1], b, r, y, c.n, c.in_size, c.cin, c.cout, c.kernel, c.stride[0], c.lo, c.hi);
        else
            kernels::conv3d_taps(in[0], in[1], b, r, y, c.n, c.in_size, c.cin, c.cout, c.kernel, c.stride, c.lo, c.hi);
    };
    return mx::array(c.out_shape, mx::float32,
                     std::make_shared<KernelPrimitive>(mx::default_stream(mx::Device::cpu), "conv_taps", KernelPrimitive::Kernel(kernel_fn),
                                                       Composed(composed), Vjp(vjp)),
                     std::move(inputs));
}

}  // namespace

extern "C" {

int cmlx_kernel_conv(cmlx_array* out, cmlx_array x, cmlx_array weight, cmlx_array bias, cmlx_array residual, const int* stride,
                     const int* pad_lo, const int* pad_hi, int nspatial) {
    return guard([&] {
        std::optional<mx::array> b, r;
        if (bias) b = unwrap(bias);
        if (residual) r = unwrap(residual);
        *out = wrap(conv_taps(unwrap(x), unwrap(weight), b, r, ints(stride, nspatial), ints(pad_lo, nspatial), ints(pad_hi, nspatial)));
    });
}

}  // extern "C"
