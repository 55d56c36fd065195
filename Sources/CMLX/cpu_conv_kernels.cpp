// Convolution without an im2col buffer (issue 7): the input is zero-padded once and every kernel tap
// is one GEMM over a strided view of it; 3×3 spatial kernels go by Winograd F(2×2, 3×3).
#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>
#include "cpu_blas.hpp"
#include "cpu_kernels.hpp"
#include "cpu_parallel.hpp"
#include "cpu_scratch.hpp"

namespace cmlx::kernels {

/// Where a convolution's outputs come from in the zero-padded input [Tp, Hp, Wp, c].
/// Without spatial stride, outputs are computed at every position of the padded plane ("grid rows":
/// the columns past Wo and rows past Ho are padding, dropped at the end), so a tap is one contiguous
/// shifted view across whole planes. With a spatial stride, rows are the compact outputs and a tap is
/// a view of stride sw·c within each output row.
struct ConvGrid {
    size_t T, H, W, Tp, Hp, Wp, To, Ho, Wo, st, sh, sw, plane, taps, slack;
    const int* pad_lo;

    ConvGrid(const int* in_size, const int* kernel, const int* stride, const int* pad_lo, const int* pad_hi)
        : T(in_size[0]), H(in_size[1]), W(in_size[2]), st(stride[0]), sh(stride[1]), sw(stride[2]), pad_lo(pad_lo) {
        Tp = T + pad_lo[0] + pad_hi[0], Hp = H + pad_lo[1] + pad_hi[1], Wp = W + pad_lo[2] + pad_hi[2];
        To = (Tp - kernel[0]) / st + 1, Ho = (Hp - kernel[1]) / sh + 1, Wo = (Wp - kernel[2]) / sw + 1;
        plane = Hp * Wp, taps = size_t(kernel[0]) * kernel[1] * kernel[2];
        slack = size_t(kernel[1] - 1) * Wp + size_t(kernel[2] - 1);  // grid views may read past the end
    }

    bool spatial_stride() const { return sh != 1 || sw != 1; }
    size_t outputs() const { return To * Ho * Wo; }
    /// The GEMM rows: grid positions, or the compact outputs under a spatial stride.
    size_t rows() const { return spatial_stride() ? outputs() : To * plane; }
    /// Padded-input rows between consecutive GEMM rows of one run.
    size_t step() const { return spatial_stride() ? sw : 1; }
    size_t padded_rows() const { return Tp * plane + slack; }
    /// Whether the input itself can serve as the padded buffer (no padding, no reads past the end).
    bool unpadded() const { return Tp == T && Hp == H && Wp == W && slack == 0; }
    size_t shift(int dt, int dh, int dw) const { return dt * plane + dh * Wp + dw; }

    /// One sample [T, H, W, c] zero-padded (padded_rows() × c): x itself when unpadded(), else copied
    /// into `buffer` (allocated on first use, zero-filled by the system; later samples refill it).
    const float* pad(const float* x, std::unique_ptr<cpu::Temporary>& buffer, size_t c) const {
        if (unpadded()) return x;
        if (buffer) std::fill(buffer->data(), buffer->data() + padded_rows() * c, 0.0f);
        else buffer = std::make_unique<cpu::Temporary>(padded_rows() * c);
        float* padded = buffer->data();
        cpu::ThreadPool::shared().parallel_for(T * H, 16, [&](size_t lo, size_t hi) {
            for (size_t r = lo; r < hi; r++) {
                size_t t = r / H, h = r % H;
                std::memcpy(padded + ((t + pad_lo[0]) * plane + (h + pad_lo[1]) * Wp + pad_lo[2]) * c, x + r * W * c,
                            W * c * sizeof(float));
            }
        });
        return padded;
    }

    /// Calls fn(row, count, input_row) for each run of GEMM rows in [r0, r0 + m) whose inputs (tap 0)
    /// start at padded row input_row and advance by step() per row.
    template <class Fn>
    void runs(size_t r0, size_t m, Fn fn) const {
        if (!spatial_stride() && st == 1) return fn(r0, m, r0);
        for (size_t p = r0; p < r0 + m;) {
            if (!spatial_stride()) {  // split where planes change: input plane t·st
                size_t t = p / plane, count = std::min((t + 1) * plane, r0 + m) - p;
                fn(p, count, t * st * plane + p % plane);
                p += count;
            } else {  // one output row at a time
                size_t t = p / (Ho * Wo), h = (p / Wo) % Ho, w = p % Wo, count = std::min(Wo - w, r0 + m - p);
                fn(p, count, t * st * plane + h * sh * Wp + w * sw);
                p += count;
            }
        }
    }

    /// Calls fn(row, output, count) for each run of GEMM rows in [r0, r0 + m) that are real outputs.
    template <class Fn>
    void valid_runs(size_t r0, size_t m, Fn fn) const {
        if (spatial_stride()) return fn(r0, r0, m);
        for (size_t p = r0; p < r0 + m;) {
            size_t t = p / plane, h = (p % plane) / Wp, col = p % Wp;
            size_t run = std::min(Wp - col, r0 + m - p);
            if (h < Ho && col < Wo) fn(p, (t * Ho + h) * Wo + col, std::min(run, Wo - col));
            p += run;
        }
    }
};

CMLX_CLONES static void finish_row(const float* acc, const float* bias, const float* residual, float* y, size_t width, size_t c) {
    for (size_t p = 0; p < width; p++) {
        const float* a = acc + p * c;
        float* out = y + p * c;
        const float* res = residual ? residual + p * c : nullptr;
#pragma omp simd
        for (size_t o = 0; o < c; o++) out[o] = a[o] + (bias ? bias[o] : 0.0f) + (res ? res[o] : 0.0f);
    }
}

void conv3d_taps(const float* x, const float* w, const float* bias, const float* residual, float* y, size_t n, const int* in_size,
                 size_t cin, size_t cout, const int* kernel, const int* stride, const int* pad_lo, const int* pad_hi) {
    auto& pool = cpu::ThreadPool::shared();
    const ConvGrid g(in_size, kernel, stride, pad_lo, pad_hi);
    // Output rows in blocks whose accumulator (~512 KB) stays in L2 through all taps: the whole-grid
    // GEMM per tap streamed the accumulator through memory once per tap (0.46 s vs 0.33 s at 128 ch).
    const size_t block = std::max<size_t>(64, (size_t(1) << 17) / std::max<size_t>(cout, 1));
    const size_t rows = g.rows(), blocks = (rows + block - 1) / block, lda = g.step() * cin;
    std::unique_ptr<cpu::Temporary> buffer;
    for (size_t b = 0; b < n; b++) {
        float* yb = y + b * g.outputs() * cout;
        const float* rb = residual ? residual + b * g.outputs() * cout : nullptr;
        const float* padded = g.pad(x + b * g.T * g.H * g.W * cin, buffer, cin);
        with_single_threaded_blas([&] {
            pool.parallel_for(blocks, 1, [&](size_t lo, size_t hi) {
                float* acc = cpu::reusable(cpu::Reusable::accumulator, block * cout);
                for (size_t k = lo; k < hi; k++) {
                    const size_t r0 = k * block, m = std::min(block, rows - r0);
                    // One GEMM per tap and run: acc[p, :] (+)= padded[input(p) + shift(tap), :] · w[:, tap, :]ᵀ
                    g.runs(r0, m, [&](size_t row, size_t count, size_t input) {
                        size_t tap = 0;
                        for (int dt = 0; dt < kernel[0]; dt++)
                            for (int dh = 0; dh < kernel[1]; dh++)
                                for (int dw = 0; dw < kernel[2]; dw++, tap++)
                                    cblas_sgemm(RowMajor, NoTrans, Trans, int(count), int(cout), int(cin), 1.0f,
                                                &padded[(input + g.shift(dt, dh, dw)) * cin], int(lda), w + tap * cin, int(g.taps * cin),
                                                tap == 0 ? 0.0f : 1.0f, acc + (row - r0) * cout, int(cout));
                    });
                    g.valid_runs(r0, m, [&](size_t row, size_t out, size_t count) {
                        finish_row(acc + (row - r0) * cout, bias, rb ? rb + out * cout : nullptr, yb + out * cout, count, cout);
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

/// U[dt][ξ] = G g Gᵀ per output/input channel pair, as [cout, cin] matrices (read transposed).
/// y += a·x over a run of n (vectorised).
CMLX_CLONES static void axpy_run(float* y, const float* x, float a, size_t n) {
#pragma omp simd
    for (size_t i = 0; i < n; i++) y[i] += a * x[i];
}

static std::unique_ptr<cpu::Temporary> winograd_weights(const float* w, size_t kt, size_t cin, size_t cout) {
    auto transformed = std::make_unique<cpu::Temporary>(kt * 16 * cout * cin);  // zero-filled
    float* u = transformed->data();
    const float G[4][3] = {{1, 0, 0}, {0.5f, 0.5f, 0.5f}, {0.5f, -0.5f, 0.5f}, {0, 0, 1}};
    cpu::ThreadPool::shared().parallel_for(cout * kt, 1, [&](size_t lo, size_t hi) {
        for (size_t r = lo; r < hi; r++) {
            const size_t o = r / kt, dt = r % kt;
            const float* k9 = w + (o * kt + dt) * 9 * cin;  // [3, 3, cin]
            // U[a][q] = Σ_{i,j} G[a][i]·G[q][j]·k[i][j], whole runs of cin at a time (64 non-zero terms).
            for (size_t a = 0; a < 4; a++)
                for (size_t q = 0; q < 4; q++) {
                    float* dst = u + ((dt * 16 + a * 4 + q) * cout + o) * cin;
                    for (size_t i = 0; i < 3; i++)
                        for (size_t j = 0; j < 3; j++) {
                            float coefficient = G[a][i] * G[q][j];
                            if (coefficient != 0.0f) axpy_run(dst, k9 + (i * 3 + j) * cin, coefficient, cin);
                        }
                }
        }
    });
    return transformed;
}

/// Points `*tile` at the 4×4×c input tile whose top-left lies at padded (frame, row, col) of one
/// sample: straight into x when the tile is inside it, else into `scratch` filled with the tile and
/// zeros (the padding is never materialised). Returns the tile's row stride.
static size_t winograd_tile(const float* x, const ConvGrid& g, size_t c, long frame, long row, long col, float* scratch,
                            const float** tile) {
    long t = frame - g.pad_lo[0], h0 = row - g.pad_lo[1], w0 = col - g.pad_lo[2];
    const long T = long(g.T), H = long(g.H), W = long(g.W);
    if (t >= 0 && t < T && h0 >= 0 && h0 + 4 <= H && w0 >= 0 && w0 + 4 <= W) {
        *tile = x + ((t * H + h0) * W + w0) * long(c);
        return g.W * c;
    }
    std::fill(scratch, scratch + 16 * c, 0.0f);
    if (t >= 0 && t < T)
        for (long i = 0; i < 4; i++)
            for (long j = 0; j < 4; j++) {
                long h = h0 + i, w = w0 + j;
                if (h >= 0 && h < H && w >= 0 && w < W) std::memcpy(scratch + (i * 4 + j) * c, x + ((t * H + h) * W + w) * long(c), c * sizeof(float));
            }
    *tile = scratch;
    return 4 * c;
}

void conv3d_winograd(const float* x, const float* w, const float* bias, const float* residual, float* y, size_t n, const int* in_size,
                     size_t cin, size_t cout, const int* kernel, size_t time_stride, const int* pad_lo, const int* pad_hi) {
    auto& pool = cpu::ThreadPool::shared();
    const int stride[3] = {int(time_stride), 1, 1};
    const ConvGrid g(in_size, kernel, stride, pad_lo, pad_hi);
    const size_t kt = kernel[0], tiles_h = (g.Ho + 1) / 2, tiles_w = (g.Wo + 1) / 2, tiles = g.To * tiles_h * tiles_w;
    const auto transformed = winograd_weights(w, kt, cin, cout);
    const float* u = transformed->data();
    // Tiles in blocks: wide channels want more tiles per block to reuse each U matrix (measured 32..256).
    const size_t block = std::clamp<size_t>(cin * cout / 1024, 32, 512), blocks = (tiles + block - 1) / block;
    for (size_t b = 0; b < n; b++) {
        const float* xb = x + b * g.T * g.H * g.W * cin;
        float* yb = y + b * g.outputs() * cout;
        const float* rb = residual ? residual + b * g.outputs() * cout : nullptr;
        with_single_threaded_blas([&] {
            pool.parallel_for(blocks, 1, [&](size_t lo, size_t hi) {
                float* v = cpu::reusable(cpu::Reusable::winograd_input, 16 * block * cin);
                float* m = cpu::reusable(cpu::Reusable::winograd_product, 16 * block * cout);
                float* scratch = cpu::reusable(cpu::Reusable::tile, 16 * cin);
                struct Tile { size_t t, th, tw; };  // output frame and 2×2 tile row/column
                auto locate = [&](size_t tile) { return Tile{tile / (tiles_h * tiles_w), (tile / tiles_w) % tiles_h, tile % tiles_w}; };
                for (size_t k = lo; k < hi; k++) {
                    const size_t t0 = k * block, count = std::min(block, tiles - t0);
                    for (size_t dt = 0; dt < kt; dt++) {
                        for (size_t j = 0; j < count; j++) {
                            auto [t, th, tw] = locate(t0 + j);
                            const float* d;
                            size_t row = winograd_tile(xb, g, cin, long(t * g.st + dt), long(2 * th), long(2 * tw), scratch, &d);
                            winograd_input_tile(d, row, v + j * cin, block * cin, cin);
                        }
                        for (size_t xi = 0; xi < 16; xi++)
                            cblas_sgemm(RowMajor, NoTrans, Trans, int(count), int(cout), int(cin), 1.0f, v + xi * block * cin, int(cin),
                                        u + (dt * 16 + xi) * cout * cin, int(cin), dt == 0 ? 0.0f : 1.0f, m + xi * block * cout,
                                        int(cout));
                    }
                    for (size_t j = 0; j < count; j++) {
                        auto [t, th, tw] = locate(t0 + j);
                        size_t out = (t * g.Ho + 2 * th) * g.Wo + 2 * tw;
                        winograd_output_tile(m + j * cout, block * cout, bias, rb ? rb + out * cout : nullptr, yb + out * cout,
                                             g.Wo * cout, 2 * th + 1 < g.Ho, 2 * tw + 1 < g.Wo, cout);
                    }
                }
            });
        });
    }
}

void conv3d_weight_grad(const float* x, const float* dy, float* dw, size_t n, const int* in_size, size_t cin, size_t cout,
                        const int* kernel, const int* stride, const int* pad_lo, const int* pad_hi) {
    auto& pool = cpu::ThreadPool::shared();
    const ConvGrid g(in_size, kernel, stride, pad_lo, pad_hi);
    const size_t rows = g.rows(), ldb = g.step() * cin;
    std::unique_ptr<cpu::Temporary> buffer, dy_grid;
    if (!g.spatial_stride() && !g.unpadded()) dy_grid = std::make_unique<cpu::Temporary>(rows * cout);
    std::fill(dw, dw + cout * g.taps * cin, 0.0f);
    std::mutex merge;
    for (size_t b = 0; b < n; b++) {
        const float* padded = g.pad(x + b * g.T * g.H * g.W * cin, buffer, cin);
        const float* dyb = dy + b * g.outputs() * cout;
        if (!g.spatial_stride() && !g.unpadded()) {
            // dy laid over the grid, zero at the padding positions, so a tap is one GEMM per run.
            if (b > 0) std::fill(dy_grid->data(), dy_grid->data() + rows * cout, 0.0f);
            g.valid_runs(0, rows, [&](size_t row, size_t out, size_t count) {
                std::memcpy(dy_grid->data() + row * cout, dyb + out * cout, count * cout * sizeof(float));
            });
            dyb = dy_grid->data();
        }
        // Each thread sums its share of the rows for every tap: dw[:, tap, :] += dyᵀ · padded[input + shift(tap)].
        with_single_threaded_blas([&] {
            pool.parallel_for(rows, 1024, [&](size_t lo, size_t hi) {
                cpu::Temporary part(cout * g.taps * cin);  // zero-filled
                g.runs(lo, hi - lo, [&](size_t row, size_t count, size_t input) {
                    size_t tap = 0;
                    for (int dt = 0; dt < kernel[0]; dt++)
                        for (int dh = 0; dh < kernel[1]; dh++)
                            for (int dwi = 0; dwi < kernel[2]; dwi++, tap++)
                                cblas_sgemm(RowMajor, Trans, NoTrans, int(cout), int(cin), int(count), 1.0f, dyb + row * cout, int(cout),
                                            &padded[(input + g.shift(dt, dh, dwi)) * cin], int(ldb), 1.0f, part.data() + tap * cin,
                                            int(g.taps * cin));
                });
                std::lock_guard<std::mutex> lock(merge);
                for (size_t i = 0; i < cout * g.taps * cin; i++) dw[i] += part.data()[i];
            });
        });
    }
}

}  // namespace cmlx::kernels
