// Reference semantics: the composed MLX ops these replace (tests compare the two); exp is Cephes'
// single-precision polynomial (about 1 ulp), written so the loops vectorise.
#include "cpu_kernels.hpp"
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <atomic>
#include <dlfcn.h>
#include <functional>
#include <mutex>
#include <vector>
#include "cpu_parallel.hpp"

extern "C" void cblas_sgemm(int order, int trans_a, int trans_b, int m, int n, int k, float alpha, const float* a, int lda,
                            const float* b, int ldb, float beta, float* c, int ldc);

namespace cmlx::kernels {

enum { RowMajor = 101, NoTrans = 111, Trans = 112 };

void attention_slices(const float* q, const float* k, const float* v, float* out, size_t batch, size_t lq, size_t lk, size_t d,
                      float scale);

static inline float exp_approx(float x) {
    x = std::min(std::max(x, -87.3f), 88.7f);
    float n = std::floor(x * 1.44269504088896341f + 0.5f);
    float r = x - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    float e = p * r * r + r + 1.0f;
    int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
    float scale;
    std::memcpy(&scale, &bits, sizeof(float));
    return e * scale;
}

CMLX_CLONES static void gelu_tanh_range(const float* x, float* y, size_t n) {
#pragma omp simd
    for (size_t i = 0; i < n; i++) {
        float v = x[i];
        float u = 1.5957691216057308f * (v + 0.044715f * v * v * v);  // 2·√(2/π)·(v + 0.044715v³)
        y[i] = v / (1.0f + exp_approx(-u));
    }
}

CMLX_CLONES static void silu_range(const float* x, float* y, size_t n) {
#pragma omp simd
    for (size_t i = 0; i < n; i++) y[i] = x[i] / (1.0f + exp_approx(-x[i]));
}

CMLX_CLONES static void layer_norm_modulate_rows(const float* x, const float* shift, const float* scale, float* y, size_t begin,
                                                 size_t end, size_t c, size_t rows_per_group, float eps) {
    for (size_t r = begin; r < end; r++) {
        const float* xr = x + r * c;
        float* yr = y + r * c;
        float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
        for (size_t i = 0; i < c; i++) sum += xr[i];
        float mean = sum / static_cast<float>(c);
        float sq = 0.0f;
#pragma omp simd reduction(+ : sq)
        for (size_t i = 0; i < c; i++) sq += (xr[i] - mean) * (xr[i] - mean);
        float rstd = 1.0f / std::sqrt(sq / static_cast<float>(c) + eps);
        if (shift != nullptr && scale != nullptr) {
            const float* sh = shift + (r / rows_per_group) * c;
            const float* sc = scale + (r / rows_per_group) * c;
#pragma omp simd
            for (size_t i = 0; i < c; i++) yr[i] = (xr[i] - mean) * rstd * (1.0f + sc[i]) + sh[i];
        } else {
#pragma omp simd
            for (size_t i = 0; i < c; i++) yr[i] = (xr[i] - mean) * rstd;
        }
    }
}

CMLX_CLONES static void softmax_row_range(const float* x, float* y, size_t begin, size_t end, size_t c) {
    for (size_t r = begin; r < end; r++) {
        const float* xr = x + r * c;
        float* yr = y + r * c;
        // Max with 16 independent lanes (a vectorisable shape without fast-math).
        float lanes[16];
        std::fill(lanes, lanes + 16, -INFINITY);
        size_t i = 0;
        for (; i + 16 <= c; i += 16)
            for (size_t k = 0; k < 16; k++) lanes[k] = xr[i + k] > lanes[k] ? xr[i + k] : lanes[k];
        float m = -INFINITY;
        for (; i < c; i++) m = xr[i] > m ? xr[i] : m;
        for (float v : lanes) m = v > m ? v : m;
        if (m == -INFINITY) m = 0.0f;  // a fully masked row ends as 0/0 = NaN, as the composed softmax
        float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
        for (size_t i = 0; i < c; i++) {
            float e = xr[i] == -INFINITY ? 0.0f : exp_approx(xr[i] - m);
            yr[i] = e;
            sum += e;
        }
        float inv = 1.0f / sum;
#pragma omp simd
        for (size_t i = 0; i < c; i++) yr[i] *= inv;
    }
}

/// Per-channel sums over positions [begin, end) (`s`, `q`: zeroed float scratch of c each); callers
/// fold channels into groups. No containers inside: target_clones functions must not instantiate them.
CMLX_CLONES static void channel_sums(const float* x, double* sum, double* sq, float* s, float* q, size_t begin, size_t end,
                                     size_t c) {
    for (size_t p = begin; p < end; p++) {
        const float* row = x + p * c;
#pragma omp simd
        for (size_t i = 0; i < c; i++) {
            s[i] += row[i];
            q[i] += row[i] * row[i];
        }
        if ((p - begin) % 256 == 255) {  // flush to double every 256 rows to keep float error small
            for (size_t i = 0; i < c; i++) {
                sum[i] += s[i];
                sq[i] += q[i];
                s[i] = q[i] = 0.0f;
            }
        }
    }
    for (size_t i = 0; i < c; i++) {
        sum[i] += s[i];
        sq[i] += q[i];
    }
}

CMLX_CLONES static void affine_rows(const float* x, const float* a, const float* b, float* y, size_t begin, size_t end, size_t c,
                                    bool silu) {
    for (size_t p = begin; p < end; p++) {
        const float* row = x + p * c;
        float* out = y + p * c;
        if (silu) {
#pragma omp simd
            for (size_t i = 0; i < c; i++) {
                float v = row[i] * a[i] + b[i];
                out[i] = v / (1.0f + exp_approx(-v));
            }
        } else {
#pragma omp simd
            for (size_t i = 0; i < c; i++) out[i] = row[i] * a[i] + b[i];
        }
    }
}

void group_norm(const float* x, const float* weight, const float* bias, float* y, size_t n, size_t positions, size_t c,
                size_t groups, float eps, bool silu) {
    auto& pool = cpu::ThreadPool::shared();
    size_t per_group = c / groups, threads = pool.size();
    for (size_t s = 0; s < n; s++) {
        const float* xs = x + s * positions * c;
        // Pass 1: mean and variance per group (E[x²] − mean² in double over float partial sums).
        std::vector<std::vector<double>> sums(threads, std::vector<double>(c, 0.0)), sqs(threads, std::vector<double>(c, 0.0));
        std::vector<std::vector<float>> scratch(2 * threads, std::vector<float>(c, 0.0f));
        size_t chunk = (positions + threads - 1) / threads;
        pool.parallel_for(threads, 1, [&](size_t b, size_t e) {
            for (size_t t = b; t < e; t++) {
                size_t lo = t * chunk, hi = std::min(positions, lo + chunk);
                if (lo < hi) channel_sums(xs, sums[t].data(), sqs[t].data(), scratch[2 * t].data(), scratch[2 * t + 1].data(), lo, hi, c);
            }
        });
        std::vector<float> a(c), shift(c);
        double count = double(positions) * double(per_group);
        for (size_t g = 0; g < groups; g++) {
            double sum = 0, sq = 0;
            for (size_t t = 0; t < threads; t++)
                for (size_t i = g * per_group; i < (g + 1) * per_group; i++) {
                    sum += sums[t][i];
                    sq += sqs[t][i];
                }
            double mean = sum / count, var = std::max(0.0, sq / count - mean * mean);
            double rstd = 1.0 / std::sqrt(var + double(eps));
            for (size_t i = g * per_group; i < (g + 1) * per_group; i++) {
                double w = weight ? weight[i] : 1.0, b = bias ? bias[i] : 0.0;
                a[i] = float(rstd * w);
                shift[i] = float(b - mean * rstd * w);
            }
        }
        // Pass 2: y = x·a + shift per channel (+ SiLU).
        pool.parallel_for(positions, 64, [&](size_t b, size_t e) { affine_rows(xs, a.data(), shift.data(), y + s * positions * c, b, e, c, silu); });
    }
}

/// Runs `body` with OpenBLAS limited to one thread (when this BLAS is OpenBLAS): the kernel calls
/// BLAS from several pool threads at once, and nested OpenBLAS threading thrashes (7x slower here).
static void with_single_threaded_blas(const std::function<void()>& body) {
    using Get = int (*)();
    using Set = void (*)(int);
    static Get get = reinterpret_cast<Get>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    static Set set = reinterpret_cast<Set>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    int previous = get && set ? get() : 1;
    if (previous > 1) set(1);
    body();
    if (previous > 1) set(previous);
}

void attention(const float* q, const float* k, const float* v, float* out, size_t batch, size_t lq, size_t lk, size_t d, float scale) {
    with_single_threaded_blas([&] { attention_slices(q, k, v, out, batch, lq, lk, d, scale); });
}

void attention_slices(const float* q, const float* k, const float* v, float* out, size_t batch, size_t lq, size_t lk, size_t d,
                      float scale) {
    // Rows of one slice are processed in blocks so the score buffer stays small (cache-resident).
    const size_t block = std::max<size_t>(1, std::min(lq, (size_t(1) << 16) / std::max<size_t>(lk, 1)));
    const size_t blocks_per_slice = (lq + block - 1) / block;
    auto& pool = cpu::ThreadPool::shared();
    std::vector<std::vector<float>> scores(pool.size(), std::vector<float>(block * lk));
    std::atomic<size_t> next_worker{0};
    pool.parallel_for(batch * blocks_per_slice, 1, [&](size_t begin, size_t end) {
        float* s = scores[next_worker++ % scores.size()].data();
        for (size_t job = begin; job < end; job++) {
            size_t slice = job / blocks_per_slice, row = (job % blocks_per_slice) * block;
            size_t rows = std::min(block, lq - row);
            const float* qs = q + (slice * lq + row) * d;
            const float* ks = k + slice * lk * d;
            const float* vs = v + slice * lk * d;
            cblas_sgemm(RowMajor, NoTrans, Trans, int(rows), int(lk), int(d), scale, qs, int(d), ks, int(d), 0.0f, s, int(lk));
            softmax_row_range(s, s, 0, rows, lk);
            cblas_sgemm(RowMajor, NoTrans, NoTrans, int(rows), int(d), int(lk), 1.0f, s, int(lk), vs, int(d), 0.0f,
                        out + (slice * lq + row) * d, int(d));
        }
    });
}

CMLX_CLONES static void rms_norm_rows(const float* x, const float* w, float* y, size_t begin, size_t end, size_t c, float eps) {
    for (size_t r = begin; r < end; r++) {
        const float* xr = x + r * c;
        float* yr = y + r * c;
        float sq = 0.0f;
#pragma omp simd reduction(+ : sq)
        for (size_t i = 0; i < c; i++) sq += xr[i] * xr[i];
        float inv = 1.0f / std::sqrt(sq / static_cast<float>(c) + eps);
        if (w != nullptr) {
#pragma omp simd
            for (size_t i = 0; i < c; i++) yr[i] = xr[i] * inv * w[i];
        } else {
#pragma omp simd
            for (size_t i = 0; i < c; i++) yr[i] = xr[i] * inv;
        }
    }
}

CMLX_CLONES static void gated_residual_rows(const float* x, const float* gate, const float* o, float* y, size_t begin, size_t end,
                                            size_t c, size_t rows_per_group) {
    for (size_t r = begin; r < end; r++) {
        const float* g = gate + (r / rows_per_group) * c;
        const float* xr = x + r * c;
        const float* orow = o + r * c;
        float* yr = y + r * c;
#pragma omp simd
        for (size_t i = 0; i < c; i++) yr[i] = xr[i] + g[i] * orow[i];
    }
}

void rms_norm(const float* x, const float* weight, float* y, size_t rows, size_t c, float eps) {
    size_t grain = std::max<size_t>(1, (1 << 15) / std::max<size_t>(c, 1));
    cpu::ThreadPool::shared().parallel_for(rows, grain, [&](size_t b, size_t e) { rms_norm_rows(x, weight, y, b, e, c, eps); });
}

void gated_residual(const float* x, const float* gate, const float* o, float* y, size_t rows, size_t c, size_t rows_per_group) {
    size_t grain = std::max<size_t>(1, (1 << 15) / std::max<size_t>(c, 1));
    cpu::ThreadPool::shared().parallel_for(rows, grain, [&](size_t b, size_t e) { gated_residual_rows(x, gate, o, y, b, e, c, rows_per_group); });
}

/// One output row of the tap GEMMs: y = acc (+ bias per channel) (+ residual).
CMLX_CLONES static void finish_row(const float* acc, const float* bias, const float* residual, float* y, size_t width, size_t c) {
    for (size_t p = 0; p < width; p++) {
        const float* a = acc + p * c;
        float* out = y + p * c;
        const float* res = residual ? residual + p * c : nullptr;
#pragma omp simd
        for (size_t o = 0; o < c; o++) out[o] = a[o] + (bias ? bias[o] : 0.0f) + (res ? res[o] : 0.0f);
    }
}

void upsample_nearest2x(const float* x, float* y, size_t n, size_t h, size_t w, size_t c) {
    cpu::ThreadPool::shared().parallel_for(n * h, 8, [&](size_t lo, size_t hi) {
        for (size_t r = lo; r < hi; r++) {
            const float* src = x + r * w * c;
            float* top = y + (2 * r) * (2 * w) * c;  // output rows 2r and 2r + 1 (n·h rows map to n·2h)
            for (size_t j = 0; j < w; j++) {
                std::memcpy(top + (2 * j) * c, src + j * c, c * sizeof(float));
                std::memcpy(top + (2 * j + 1) * c, src + j * c, c * sizeof(float));
            }
            std::memcpy(top + 2 * w * c, top, 2 * w * c * sizeof(float));
        }
    });
}

/// The padded grid a stride-1 convolution runs over: outputs are computed at every grid position
/// (rows past Ho / columns past Wo are padding and dropped), each tap a contiguous shifted view.
struct ConvGrid {
    size_t T, H, W, Tp, Hp, Wp, To, Ho, Wo, plane, taps, grid, slack;
    const int *kernel, *pad_lo;

    /// `even_output` widens the zero-padded plane by one row/column where Ho/Wo is odd, so 2×2
    /// output tiles (Winograd) cover it.
    ConvGrid(const int* in_size, const int* kernel, const int* pad_lo, const int* pad_hi, bool even_output = false)
        : T(in_size[0]), H(in_size[1]), W(in_size[2]), kernel(kernel), pad_lo(pad_lo) {
        Tp = T + pad_lo[0] + pad_hi[0], Hp = H + pad_lo[1] + pad_hi[1], Wp = W + pad_lo[2] + pad_hi[2];
        To = Tp - kernel[0] + 1, Ho = Hp - kernel[1] + 1, Wo = Wp - kernel[2] + 1;
        if (even_output) Hp += Ho % 2, Wp += Wo % 2;
        plane = Hp * Wp, taps = size_t(kernel[0]) * kernel[1] * kernel[2];
        grid = To * plane;
        slack = size_t(kernel[1] - 1) * Wp + size_t(kernel[2] - 1);  // shifted views may read past the end
    }
    size_t padded_rows() const { return Tp * plane + slack; }
    size_t shift(int dt, int dh, int dw) const { return dt * plane + dh * Wp + dw; }

    /// Zero-pads one sample [T, H, W, c] into `padded` (padded_rows() × c).
    void pad(const float* x, float* padded, size_t c) const {
        std::fill(padded, padded + padded_rows() * c, 0.0f);
        cpu::ThreadPool::shared().parallel_for(T * H, 16, [&](size_t lo, size_t hi) {
            for (size_t r = lo; r < hi; r++) {
                size_t t = r / H, h = r % H;
                std::memcpy(padded + ((t + pad_lo[0]) * plane + (h + pad_lo[1]) * Wp + pad_lo[2]) * c, x + r * W * c,
                            W * c * sizeof(float));
            }
        });
    }

    /// Calls fn(grid_row, output_row, count) for each run of valid output positions in [r0, r0 + m).
    template <class Fn>
    void valid_runs(size_t r0, size_t m, Fn fn) const {
        for (size_t p = r0; p < r0 + m;) {
            size_t t = p / plane, h = (p % plane) / Wp, col = p % Wp;
            size_t run = std::min(Wp - col, r0 + m - p);
            if (h < Ho && col < Wo) fn(p, (t * Ho + h) * Wo + col, std::min(run, Wo - col));
            p += run;
        }
    }
};

void conv3d_taps(const float* x, const float* w, const float* bias, const float* residual, float* y, size_t n, const int* in_size,
                 size_t cin, size_t cout, const int* kernel, const int* pad_lo, const int* pad_hi) {
    auto& pool = cpu::ThreadPool::shared();
    const ConvGrid g(in_size, kernel, pad_lo, pad_hi);
    // Output rows in blocks whose accumulator (~512 KB) stays in L2 through all taps: the whole-grid
    // GEMM per tap streamed the accumulator through memory once per tap (0.46 s vs 0.33 s at 128 ch).
    const size_t block = std::max<size_t>(64, (size_t(1) << 17) / std::max<size_t>(cout, 1));
    const size_t blocks = (g.grid + block - 1) / block;
    std::vector<float> padded(g.padded_rows() * cin);
    for (size_t b = 0; b < n; b++) {
        float* yb = y + b * g.To * g.Ho * g.Wo * cout;
        const float* rb = residual ? residual + b * g.To * g.Ho * g.Wo * cout : nullptr;
        g.pad(x + b * g.T * g.H * g.W * cin, padded.data(), cin);
        with_single_threaded_blas([&] {
            pool.parallel_for(blocks, 1, [&](size_t lo, size_t hi) {
                std::vector<float> acc(block * cout);
                for (size_t k = lo; k < hi; k++) {
                    const size_t r0 = k * block, m = std::min(block, g.grid - r0);
                    // One GEMM per tap: acc[p, :] (+)= padded[p + shift(tap), :] · w[:, tap, :]ᵀ
                    size_t tap = 0;
                    for (int dt = 0; dt < kernel[0]; dt++)
                        for (int dh = 0; dh < kernel[1]; dh++)
                            for (int dw = 0; dw < kernel[2]; dw++, tap++)
                                cblas_sgemm(RowMajor, NoTrans, Trans, int(m), int(cout), int(cin), 1.0f,
                                            &padded[(r0 + g.shift(dt, dh, dw)) * cin], int(cin), w + tap * cin, int(g.taps * cin),
                                            tap == 0 ? 0.0f : 1.0f, acc.data(), int(cout));
                    g.valid_runs(r0, m, [&](size_t p, size_t out, size_t count) {
                        finish_row(&acc[(p - r0) * cout], bias, rb ? rb + out * cout : nullptr, yb + out * cout, count, cout);
                    });
                }
            });
        });
    }
}

// Winograd F(2×2, 3×3) (Lavin & Gray 2016): each 2×2 output tile from a 4×4 input tile d as
// Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A, 16 multiplications instead of 36 — as 16 GEMMs [tiles, cin]·[cin, cout].

/// V = Bᵀ d B for one 4×4 tile (rows of the padded plane `row` floats apart), vectorised over channels.
CMLX_CLONES static void winograd_input_tile(const float* d, size_t row, float* v, size_t v_stride, size_t c) {
#pragma omp simd
    for (size_t k = 0; k < c; k++) {
        float t[4][4];
        for (size_t j = 0; j < 4; j++) {
            float d0 = d[j * c + k], d1 = d[row + j * c + k], d2 = d[2 * row + j * c + k], d3 = d[3 * row + j * c + k];
            t[0][j] = d0 - d2, t[1][j] = d1 + d2, t[2][j] = d2 - d1, t[3][j] = d1 - d3;
        }
        for (size_t i = 0; i < 4; i++) {
            v[(4 * i + 0) * v_stride + k] = t[i][0] - t[i][2];
            v[(4 * i + 1) * v_stride + k] = t[i][1] + t[i][2];
            v[(4 * i + 2) * v_stride + k] = t[i][2] - t[i][1];
            v[(4 * i + 3) * v_stride + k] = t[i][1] - t[i][3];
        }
    }
}

/// Y = Aᵀ M A for one tile (+ bias + residual), written where the 2×2 tile lies inside the output.
CMLX_CLONES static void winograd_output_tile(const float* m, size_t m_stride, const float* bias, const float* residual, float* y,
                                            size_t row, bool second_row, bool second_col, size_t c) {
    float* out[4] = {y, y + c, y + row, y + row + c};
    const float* res[4] = {residual, residual ? residual + c : nullptr, residual ? residual + row : nullptr,
                           residual ? residual + row + c : nullptr};
    bool keep[4] = {true, second_col, second_row, second_row && second_col};
    for (size_t q = 0; q < 4; q++) {
        if (!keep[q]) continue;
        size_t r = q / 2, col = q % 2;
#pragma omp simd
        for (size_t o = 0; o < c; o++) {
            float s[4];
            for (size_t j = 0; j < 4; j++) {
                float m0 = m[(0 + j) * m_stride + o], m1 = m[(4 + j) * m_stride + o], m2 = m[(8 + j) * m_stride + o],
                      m3 = m[(12 + j) * m_stride + o];
                s[j] = r == 0 ? m0 + m1 + m2 : m1 - m2 - m3;
            }
            float v = col == 0 ? s[0] + s[1] + s[2] : s[1] - s[2] - s[3];
            out[q][o] = v + (bias ? bias[o] : 0.0f) + (res[q] ? res[q][o] : 0.0f);
        }
    }
}

void conv3d_winograd(const float* x, const float* w, const float* bias, const float* residual, float* y, size_t n, const int* in_size,
                     size_t cin, size_t cout, const int* kernel, const int* pad_lo, const int* pad_hi) {
    auto& pool = cpu::ThreadPool::shared();
    const ConvGrid g(in_size, kernel, pad_lo, pad_hi, true);
    const size_t kt = kernel[0], tiles_h = (g.Ho + 1) / 2, tiles_w = (g.Wo + 1) / 2, tiles = g.To * tiles_h * tiles_w;
    // U[dt][ξ] = G g Gᵀ as [cout, cin] matrices (the GEMMs read them transposed), once per call.
    std::vector<float> u(kt * 16 * cout * cin);
    const float G[4][3] = {{1, 0, 0}, {0.5f, 0.5f, 0.5f}, {0.5f, -0.5f, 0.5f}, {0, 0, 1}};
    pool.parallel_for(cout * kt, 1, [&](size_t lo, size_t hi) {
        for (size_t r = lo; r < hi; r++) {
            const size_t o = r / kt, dt = r % kt;
            const float* k9 = w + (o * kt + dt) * 9 * cin;  // [3, 3, cin]
            for (size_t i = 0; i < cin; i++) {
                float gg[4][3];
                for (size_t a = 0; a < 4; a++)
                    for (size_t b = 0; b < 3; b++)
                        gg[a][b] = G[a][0] * k9[(0 * 3 + b) * cin + i] + G[a][1] * k9[(1 * 3 + b) * cin + i] + G[a][2] * k9[(2 * 3 + b) * cin + i];
                for (size_t a = 0; a < 4; a++)
                    for (size_t q = 0; q < 4; q++)
                        u[((dt * 16 + a * 4 + q) * cout + o) * cin + i] = gg[a][0] * G[q][0] + gg[a][1] * G[q][1] + gg[a][2] * G[q][2];
            }
        }
    });
    // Tiles in blocks: wide channels want more tiles per block to reuse each U matrix (measured 32..256).
    const size_t block = std::clamp<size_t>(cin * cout / 1024, 32, 512), blocks = (tiles + block - 1) / block;
    std::vector<float> padded(g.padded_rows() * cin);
    for (size_t b = 0; b < n; b++) {
        float* yb = y + b * g.To * g.Ho * g.Wo * cout;
        const float* rb = residual ? residual + b * g.To * g.Ho * g.Wo * cout : nullptr;
        g.pad(x + b * g.T * g.H * g.W * cin, padded.data(), cin);
        with_single_threaded_blas([&] {
            pool.parallel_for(blocks, 1, [&](size_t lo, size_t hi) {
                std::vector<float> v(16 * block * cin), m(16 * block * cout);
                for (size_t k = lo; k < hi; k++) {
                    const size_t t0 = k * block, count = std::min(block, tiles - t0);
                    for (size_t dt = 0; dt < kt; dt++) {
                        for (size_t j = 0; j < count; j++) {
                            size_t tile = t0 + j, t = tile / (tiles_h * tiles_w), th = (tile / tiles_w) % tiles_h, tw = tile % tiles_w;
                            winograd_input_tile(&padded[((t + dt) * g.plane + 2 * th * g.Wp + 2 * tw) * cin], g.Wp * cin,
                                                &v[j * cin], block * cin, cin);
                        }
                        for (size_t xi = 0; xi < 16; xi++)
                            cblas_sgemm(RowMajor, NoTrans, Trans, int(count), int(cout), int(cin), 1.0f, &v[xi * block * cin], int(cin),
                                        &u[(dt * 16 + xi) * cout * cin], int(cin), dt == 0 ? 0.0f : 1.0f, &m[xi * block * cout],
                                        int(cout));
                    }
                    for (size_t j = 0; j < count; j++) {
                        size_t tile = t0 + j, t = tile / (tiles_h * tiles_w), th = (tile / tiles_w) % tiles_h, tw = tile % tiles_w;
                        size_t out = (t * g.Ho + 2 * th) * g.Wo + 2 * tw;
                        winograd_output_tile(&m[j * cout], block * cout, bias, rb ? rb + out * cout : nullptr, yb + out * cout,
                                             g.Wo * cout, 2 * th + 1 < g.Ho, 2 * tw + 1 < g.Wo, cout);
                    }
                }
            });
        });
    }
}

void conv3d_weight_grad(const float* x, const float* dy, float* dw, size_t n, const int* in_size, size_t cin, size_t cout,
                        const int* kernel, const int* pad_lo, const int* pad_hi) {
    auto& pool = cpu::ThreadPool::shared();
    const ConvGrid g(in_size, kernel, pad_lo, pad_hi);
    const size_t out_positions = g.To * g.Ho * g.Wo;
    std::vector<float> padded(g.padded_rows() * cin), dy_grid(g.grid * cout);
    std::fill(dw, dw + cout * g.taps * cin, 0.0f);
    std::mutex merge;
    for (size_t b = 0; b < n; b++) {
        g.pad(x + b * g.T * g.H * g.W * cin, padded.data(), cin);
        // dy laid over the grid, zero at the padding positions, so every tap is one GEMM over the grid.
        std::fill(dy_grid.begin(), dy_grid.end(), 0.0f);
        const float* dyb = dy + b * out_positions * cout;
        g.valid_runs(0, g.grid, [&](size_t p, size_t out, size_t count) {
            std::memcpy(&dy_grid[p * cout], dyb + out * cout, count * cout * sizeof(float));
        });
        // Each thread sums its share of the grid for every tap: dw[:, tap, :] += dy_gridᵀ · padded[· + shift(tap)].
        with_single_threaded_blas([&] {
            pool.parallel_for(g.grid, 1024, [&](size_t lo, size_t hi) {
                std::vector<float> part(cout * g.taps * cin);
                size_t tap = 0;
                for (int dt = 0; dt < kernel[0]; dt++)
                    for (int dh = 0; dh < kernel[1]; dh++)
                        for (int dwi = 0; dwi < kernel[2]; dwi++, tap++)
                            cblas_sgemm(RowMajor, Trans, NoTrans, int(cout), int(cin), int(hi - lo), 1.0f, &dy_grid[lo * cout], int(cout),
                                        &padded[(lo + g.shift(dt, dh, dwi)) * cin], int(cin), 0.0f, &part[tap * cin],
                                        int(g.taps * cin));
                std::lock_guard<std::mutex> lock(merge);
                for (size_t i = 0; i < part.size(); i++) dw[i] += part[i];
            });
        });
    }
}

CMLX_CLONES static void rope_rows(const float* x, const float* cs, const float* sn, float* y, size_t half, float sign) {
#pragma omp simd
    for (size_t i = 0; i < half; i++) {
        float a = x[2 * i], b = x[2 * i + 1], c = cs[i], s = sign * sn[i];
        y[2 * i] = a * c - b * s;
        y[2 * i + 1] = b * c + a * s;
    }
}

void rope_interleaved(const float* x, const float* freqs, float* y, size_t slices, size_t length, size_t d, float sign) {
    const size_t half = d / 2;
    // The angle table once per call: float32 position·freq (the composed op's product), cos/sin in double.
    std::vector<float> cs(length * half), sn(length * half);
    for (size_t l = 0; l < length; l++)
        for (size_t i = 0; i < half; i++) {
            double angle = double(float(l) * freqs[i]);
            cs[l * half + i] = float(std::cos(angle));
            sn[l * half + i] = float(std::sin(angle));
        }
    cpu::ThreadPool::shared().parallel_for(slices * length, std::max<size_t>(1, 4096 / std::max<size_t>(d, 1)), [&](size_t lo, size_t hi) {
        for (size_t r = lo; r < hi; r++) {
            size_t l = r % length;
            rope_rows(x + r * d, &cs[l * half], &sn[l * half], y + r * d, half, sign);
        }
    });
}

void transpose_copy(const float* x, float* y, const size_t* shape, const size_t* perm, size_t ndim) {
    // Trailing axes left in place form contiguous runs copied whole.
    size_t run_axes = 0, run = 1;
    while (run_axes < ndim && perm[ndim - 1 - run_axes] == ndim - 1 - run_axes) run *= shape[ndim - 1 - run_axes++];
    const size_t outer = ndim - run_axes;
    if (outer == 0) {
        std::memcpy(y, x, run * sizeof(float));
        return;
    }
    // Walk the input in order (sequential reads) and scatter each run to its output place: walking the
    // output instead strides through the input a page at a time (TLB-bound, 1.5x slower for qkv heads).
    std::vector<size_t> out_stride_of_input(ndim);
    for (size_t i = ndim, s = 1; i-- > 0;) out_stride_of_input[perm[i]] = s, s *= shape[perm[i]];
    size_t rows = 1;
    for (size_t j = 0; j < outer; j++) rows *= shape[j];
    cpu::ThreadPool::shared().parallel_for(rows, std::max<size_t>(1, 8192 / run), [&](size_t lo, size_t hi) {
        std::vector<size_t> index(outer);
        size_t rest = lo, offset = 0;  // the input row's multi-index, then stepped like an odometer
        for (size_t j = outer; j-- > 0;) index[j] = rest % shape[j], rest /= shape[j], offset += index[j] * out_stride_of_input[j];
        for (size_t r = lo; r < hi; r++) {
            if (run == 1) y[offset] = x[r];
            else std::memcpy(y + offset, x + r * run, run * sizeof(float));
            for (size_t j = outer; j-- > 0;) {
                offset += out_stride_of_input[j];
                if (++index[j] < shape[j]) break;
                offset -= index[j] * out_stride_of_input[j];
                index[j] = 0;
            }
        }
    });
}

void gelu_tanh(const float* x, float* y, size_t n) {
    cpu::ThreadPool::shared().parallel_for(n, 1 << 15, [&](size_t b, size_t e) { gelu_tanh_range(x + b, y + b, e - b); });
}

void silu(const float* x, float* y, size_t n) {
    cpu::ThreadPool::shared().parallel_for(n, 1 << 15, [&](size_t b, size_t e) { silu_range(x + b, y + b, e - b); });
}

void layer_norm_modulate(const float* x, const float* shift, const float* scale, float* y, size_t rows, size_t c,
                         size_t rows_per_group, float eps) {
    size_t grain = std::max<size_t>(1, (1 << 15) / std::max<size_t>(c, 1));
    cpu::ThreadPool::shared().parallel_for(rows, grain, [&](size_t b, size_t e) {
        layer_norm_modulate_rows(x, shift, scale, y, b, e, c, rows_per_group, eps);
    });
}

void softmax_rows(const float* x, float* y, size_t rows, size_t c) {
    size_t grain = std::max<size_t>(1, (1 << 15) / std::max<size_t>(c, 1));
    cpu::ThreadPool::shared().parallel_for(rows, grain, [&](size_t b, size_t e) { softmax_row_range(x, y, b, e, c); });
}

}  // namespace cmlx::kernels
