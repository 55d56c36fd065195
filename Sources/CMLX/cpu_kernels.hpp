// Vectorised float32 kernels for MLX's slow x86 CPU paths (issue 7). Each function is compiled for
// AVX-512, AVX2 and baseline x86-64 (target_clones), chosen at load time by CPU features, so no
// illegal instruction on an older CPU. The loops are written for the auto-vectoriser.
#pragma once
#include <cstddef>

#if defined(__x86_64__) && defined(__linux__)
#define CMLX_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define CMLX_CLONES
#endif

namespace cmlx::kernels {

/// y = x·sigmoid(2·√(2/π)·(x + 0.044715x³)) — the tanh GELU in a cancellation-free form.
void gelu_tanh(const float* x, float* y, size_t n);
/// y = x·sigmoid(x)
void silu(const float* x, float* y, size_t n);
/// Rows of length c: y = LN(x)·(1 + scale) + shift, LN without affine (biased variance, eps);
/// shift/scale (may be null) have one row per `rows_per_group` input rows.
void layer_norm_modulate(const float* x, const float* shift, const float* scale, float* y, size_t rows, size_t c,
                         size_t rows_per_group, float eps);
/// GroupNorm on channels-last samples [n, positions, c] (g groups of c/g contiguous channels), with
/// weight/bias (may be null) and an optional SiLU after it; statistics in double, per sample and group.
void group_norm(const float* x, const float* weight, const float* bias, float* y, size_t n, size_t positions, size_t c,
                size_t groups, float eps, bool silu);
/// The gradient of group_norm (with its optional SiLU) given dy: dx, and — when weight and bias are
/// given — dweight, dbias (summed over samples; null without the affine). Statistics are recomputed.
void group_norm_backward(const float* x, const float* weight, const float* bias, const float* dy, float* dx, float* dweight,
                         float* dbias, size_t n, size_t positions, size_t c, size_t groups, float eps, bool silu);
/// Attention without a mask for `batch` independent (head) slices: out = softmax(scale·q·kᵀ)·v with
/// q [batch, lq, d], k/v [batch, lk, d]; the products are BLAS calls, slices run in parallel.
void attention(const float* q, const float* k, const float* v, float* out, size_t batch, size_t lq, size_t lk, size_t d, float scale);
/// The gradient of attention: dq, dk, dv of out = softmax(scale·q·kᵀ)·v given dout (shapes as in
/// `attention`); the scores are recomputed per block of query rows (nothing of the forward is kept),
/// dk/dv accumulate over a slice's row blocks, slices run in parallel.
void attention_backward(const float* q, const float* k, const float* v, const float* dout, float* dq, float* dk, float* dv, size_t batch,
                        size_t lq, size_t lk, size_t d, float scale);
/// dx = dy · gelu_tanh'(x).
void gelu_tanh_grad(const float* x, const float* dy, float* dx, size_t n);
/// Rows of length c: y = x / √(mean(x²) + eps) · weight (weight may be null).
void rms_norm(const float* x, const float* weight, float* y, size_t rows, size_t c, float eps);
/// y = x + gate·o with gate one row of c per `rows_per_group` rows of x/o (adaLN's gated residual).
void gated_residual(const float* x, const float* gate, const float* o, float* y, size_t rows, size_t c, size_t rows_per_group);
/// Undilated, ungrouped convolution over channels-last volumes without an im2col buffer (cpu_conv_kernels.cpp):
/// x [n, t, h, w, cin] is zero-padded once, then each kernel tap is one GEMM over a strided view of it,
/// accumulated per block of outputs; w is MLX's layout [cout, kt, kh, kw, cin]; stride, pad_lo, pad_hi per
/// axis (t, h, w). 2-D convolutions use t = kt = 1. `bias` and `residual` (added to the output, shaped like
/// it) may be null.
void conv3d_taps(const float* x, const float* w, const float* bias, const float* residual, float* y, size_t n, const int* in_size,
                 size_t cin, size_t cout, const int* kernel, const int* stride, const int* pad_lo, const int* pad_hi);
/// conv3d_taps for kernels [kt, 3, 3] without spatial stride, by Winograd F(2×2, 3×3): 2.25x fewer
/// multiplications, as 16 GEMMs per block of output tiles and time tap.
void conv3d_winograd(const float* x, const float* w, const float* bias, const float* residual, float* y, size_t n, const int* in_size,
                     size_t cin, size_t cout, const int* kernel, size_t time_stride, const int* pad_lo, const int* pad_hi);
/// The weight gradient of conv3d_taps: dw [cout, kt, kh, kw, cin] = Σ over samples and outputs of
/// dy ⊗ the input under each tap, one GEMM per tap and run of outputs (no im2col).
void conv3d_weight_grad(const float* x, const float* dy, float* dw, size_t n, const int* in_size, size_t cin, size_t cout,
                        const int* kernel, const int* stride, const int* pad_lo, const int* pad_hi);
/// Nearest-neighbour ×2 upsampling of channels-last images [n, h, w, c] → [n, 2h, 2w, c].
void upsample_nearest2x(const float* x, float* y, size_t n, size_t h, size_t w, size_t c);
/// Rotary embedding over interleaved pairs (2i, 2i+1) of x [slices, length, d], position l rotating
/// pair i by sign·l·freqs[i] (sign −1 is the inverse rotation, the gradient).
void rope_interleaved(const float* x, const float* freqs, float* y, size_t slices, size_t length, size_t d, float sign);
/// y = x transposed by `perm` (output axis i is input axis perm[i]), x row-contiguous with `shape`;
/// trailing axes left in place are copied as whole runs, output rows split across cores.
void transpose_copy(const float* x, float* y, const size_t* shape, const size_t* perm, size_t ndim);
/// Softmax over each row of length c.
void softmax_rows(const float* x, float* y, size_t rows, size_t c);

}  // namespace cmlx::kernels
