// Reference semantics: the composed MLX ops these replace (tests compare the two); exp is Cephes'
// single-precision polynomial (about 1 ulp), written so the loops vectorise.
#include "cpu_kernels.hpp"
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <atomic>
#include <functional>
#include <vector>
#include "cpu_blas.hpp"
#include "cpu_parallel.hpp"


namespace cmlx::kernels {

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

CMLX_CLONES static void gelu_tanh_grad_range(const float* x, const float* dy, float* dx, size_t n) {
#pragma omp simd
    for (size_t i = 0; i < n; i++) {
        float v = x[i];
        float u = 1.5957691216057308f * (v + 0.044715f * v * v * v);
        float sg = 1.0f / (1.0f + exp_approx(-u));                   // gelu = v·σ(u)
        float du = 1.5957691216057308f * (1.0f + 0.134145f * v * v);  // u' = 2·√(2/π)·(1 + 3·0.044715v²)
        dx[i] = dy[i] * (sg + v * sg * (1.0f - sg) * du);
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

/// dz = dy·silu'(z) at z = x·a + shift (or dy without the SiLU), one position row.
#define CMLX_GN_DZ(i) \
    float dz = dyr[i]; \
    if (silu) { \
        float z = row[i] * a[i] + shift[i], sg = 1.0f / (1.0f + exp_approx(-z)); \
        dz *= sg + z * sg * (1.0f - sg); \
    }

/// Per-channel Σ dz and Σ dz·x̂ (x̂ = x·r + t) over positions [begin, end), float partials flushed to double.
CMLX_CLONES static void group_norm_grad_sums(const float* x, const float* dy, const float* a, const float* shift, const float* r,
                                             const float* t, double* s1, double* s2, float* f1, float* f2, size_t begin, size_t end,
                                             size_t c, bool silu) {
    for (size_t p = begin; p < end; p++) {
        const float* row = x + p * c;
        const float* dyr = dy + p * c;
#pragma omp simd
        for (size_t i = 0; i < c; i++) {
            CMLX_GN_DZ(i)
            f1[i] += dz;
            f2[i] += dz * (row[i] * r[i] + t[i]);
        }
        if ((p - begin) % 256 == 255) {
            for (size_t i = 0; i < c; i++) {
                s1[i] += f1[i];
                s2[i] += f2[i];
                f1[i] = f2[i] = 0.0f;
            }
        }
    }
    for (size_t i = 0; i < c; i++) {
        s1[i] += f1[i];
        s2[i] += f2[i];
    }
}

/// dx = dz·A + x·B + C per channel over positions [begin, end).
CMLX_CLONES static void group_norm_grad_apply(const float* x, const float* dy, const float* a, const float* shift, const float* ca,
                                              const float* cb, const float* cc, float* dx, size_t begin, size_t end, size_t c, bool silu) {
    for (size_t p = begin; p < end; p++) {
        const float* row = x + p * c;
        const float* dyr = dy + p * c;
        float* out = dx + p * c;
#pragma omp simd
        for (size_t i = 0; i < c; i++) {
            CMLX_GN_DZ(i)
            out[i] = dz * ca[i] + row[i] * cb[i] + cc[i];
        }
    }
}
#undef CMLX_GN_DZ

void group_norm_backward(const float* x, const float* weight, const float* bias, const float* dy, float* dx, float* dweight,
                         float* dbias, size_t n, size_t positions, size_t c, size_t groups, float eps, bool silu) {
    auto& pool = cpu::ThreadPool::shared();
    size_t per_group = c / groups, threads = pool.size();
    size_t chunk = (positions + threads - 1) / threads;
    double count = double(positions) * double(per_group);
    std::vector<double> dw(c, 0.0), db(c, 0.0);
    for (size_t s = 0; s < n; s++) {
        const float* xs = x + s * positions * c;
        const float* dys = dy + s * positions * c;
        // The forward's statistics again: mean and rstd per group.
        std::vector<std::vector<double>> sums(threads, std::vector<double>(c, 0.0)), sqs(threads, std::vector<double>(c, 0.0));
        std::vector<std::vector<float>> scratch(2 * threads, std::vector<float>(c, 0.0f));
        pool.parallel_for(threads, 1, [&](size_t b, size_t e) {
            for (size_t t = b; t < e; t++) {
                size_t lo = t * chunk, hi = std::min(positions, lo + chunk);
                if (lo < hi) channel_sums(xs, sums[t].data(), sqs[t].data(), scratch[2 * t].data(), scratch[2 * t + 1].data(), lo, hi, c);
            }
        });
        std::vector<double> mean(groups), rstd(groups);
        std::vector<float> a(c), shift(c), r(c), t(c);
        for (size_t g = 0; g < groups; g++) {
            double sum = 0, sq = 0;
            for (size_t th = 0; th < threads; th++)
                for (size_t i = g * per_group; i < (g + 1) * per_group; i++) sum += sums[th][i], sq += sqs[th][i];
            mean[g] = sum / count;
            rstd[g] = 1.0 / std::sqrt(std::max(0.0, sq / count - mean[g] * mean[g]) + double(eps));
            for (size_t i = g * per_group; i < (g + 1) * per_group; i++) {
                double w = weight ? weight[i] : 1.0, b = bias ? bias[i] : 0.0;
                a[i] = float(rstd[g] * w);
                shift[i] = float(b - mean[g] * rstd[g] * w);
                r[i] = float(rstd[g]);
                t[i] = float(-mean[g] * rstd[g]);
            }
        }
        // Σ dz and Σ dz·x̂ per channel.
        for (auto& v : sums) std::fill(v.begin(), v.end(), 0.0);
        for (auto& v : sqs) std::fill(v.begin(), v.end(), 0.0);
        for (auto& v : scratch) std::fill(v.begin(), v.end(), 0.0f);
        pool.parallel_for(threads, 1, [&](size_t b, size_t e) {
            for (size_t th = b; th < e; th++) {
                size_t lo = th * chunk, hi = std::min(positions, lo + chunk);
                if (lo < hi)
                    group_norm_grad_sums(xs, dys, a.data(), shift.data(), r.data(), t.data(), sums[th].data(), sqs[th].data(),
                                         scratch[2 * th].data(), scratch[2 * th + 1].data(), lo, hi, c, silu);
            }
        });
        std::vector<double> s1(c, 0.0), s2(c, 0.0);
        for (size_t th = 0; th < threads; th++)
            for (size_t i = 0; i < c; i++) s1[i] += sums[th][i], s2[i] += sqs[th][i];
        // dx = rstd·(dz·w − mean_g(dz·w) − x̂·mean_g(dz·w·x̂)) = dz·A + x·B + C.
        std::vector<float> ca(c), cb(c), cc(c);
        for (size_t g = 0; g < groups; g++) {
            double m1 = 0, m2 = 0;
            for (size_t i = g * per_group; i < (g + 1) * per_group; i++) {
                double w = weight ? weight[i] : 1.0;
                m1 += w * s1[i];
                m2 += w * s2[i];
            }
            m1 /= count, m2 /= count;
            double rs = rstd[g];
            for (size_t i = g * per_group; i < (g + 1) * per_group; i++) {
                double w = weight ? weight[i] : 1.0;
                ca[i] = float(rs * w);
                cb[i] = float(-rs * rs * m2);
                cc[i] = float(-rs * m1 + mean[g] * rs * rs * m2);
            }
        }
        for (size_t i = 0; i < c; i++) db[i] += s1[i], dw[i] += s2[i];
        pool.parallel_for(positions, 64, [&](size_t b, size_t e) {
            group_norm_grad_apply(xs, dys, a.data(), shift.data(), ca.data(), cb.data(), cc.data(), dx + s * positions * c, b, e, c, silu);
        });
    }
    if (dweight && dbias)
        for (size_t i = 0; i < c; i++) dweight[i] = float(dw[i]), dbias[i] = float(db[i]);
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

/// dS = P ∘ (dP − rowsum(P ∘ dP)) in place of dP: the softmax's backward per row of length c.
CMLX_CLONES static void softmax_grad_rows(const float* p, float* dp, size_t rows, size_t c) {
    for (size_t r = 0; r < rows; r++) {
        const float* pr = p + r * c;
        float* dr = dp + r * c;
        float dot = 0.0f;
#pragma omp simd reduction(+ : dot)
        for (size_t i = 0; i < c; i++) dot += pr[i] * dr[i];
#pragma omp simd
        for (size_t i = 0; i < c; i++) dr[i] = pr[i] * (dr[i] - dot);
    }
}

/// One slice of the attention backward, rows in blocks of `block` (scores s, their gradient g: block·lk each).
static void attention_backward_slice(const float* q, const float* k, const float* v, const float* dout, float* dq, float* dk, float* dv,
                                     size_t lq, size_t lk, size_t d, float scale, size_t block, float* s, float* g) {
    std::fill(dk, dk + lk * d, 0.0f);
    std::fill(dv, dv + lk * d, 0.0f);
    for (size_t row = 0; row < lq; row += block) {
        size_t rows = std::min(block, lq - row);
        const float* qb = q + row * d;
        const float* ob = dout + row * d;
        cblas_sgemm(RowMajor, NoTrans, Trans, int(rows), int(lk), int(d), scale, qb, int(d), k, int(d), 0.0f, s, int(lk));
        softmax_row_range(s, s, 0, rows, lk);  // P
        // dV += Pᵀ·dO; dP = dO·Vᵀ; dS = P ∘ (dP − rowsum(P ∘ dP)); dQ = scale·dS·K; dK += scale·dSᵀ·Q.
        cblas_sgemm(RowMajor, Trans, NoTrans, int(lk), int(d), int(rows), 1.0f, s, int(lk), ob, int(d), 1.0f, dv, int(d));
        cblas_sgemm(RowMajor, NoTrans, Trans, int(rows), int(lk), int(d), 1.0f, ob, int(d), v, int(d), 0.0f, g, int(lk));
        softmax_grad_rows(s, g, rows, lk);
        cblas_sgemm(RowMajor, NoTrans, NoTrans, int(rows), int(d), int(lk), scale, g, int(lk), k, int(d), 0.0f, dq + row * d, int(d));
        cblas_sgemm(RowMajor, Trans, NoTrans, int(lk), int(d), int(rows), scale, g, int(lk), qb, int(d), 1.0f, dk, int(d));
    }
}

void attention_backward(const float* q, const float* k, const float* v, const float* dout, float* dq, float* dk, float* dv, size_t batch,
                        size_t lq, size_t lk, size_t d, float scale) {
    const size_t block = std::max<size_t>(1, std::min(lq, (size_t(1) << 16) / std::max<size_t>(lk, 1)));
    auto& pool = cpu::ThreadPool::shared();
    auto slice = [&](size_t b, float* s, float* g) {
        attention_backward_slice(q + b * lq * d, k + b * lk * d, v + b * lk * d, dout + b * lq * d, dq + b * lq * d, dk + b * lk * d,
                                 dv + b * lk * d, lq, lk, d, scale, block, s, g);
    };
    if (batch < 2 * pool.size()) {
        // Too few slices to share out: one at a time, OpenBLAS threading each product.
        std::vector<float> s(block * lk), g(block * lk);
        for (size_t b = 0; b < batch; b++) slice(b, s.data(), g.data());
        return;
    }
    // dK/dV accumulate over a slice's row blocks, so a slice stays on one thread.
    with_single_threaded_blas([&] {
        std::vector<std::vector<float>> buffers(2 * pool.size(), std::vector<float>(block * lk));
        std::atomic<size_t> next_worker{0};
        pool.parallel_for(batch, 1, [&](size_t begin, size_t end) {
            size_t w = next_worker++ % pool.size();
            for (size_t b = begin; b < end; b++) slice(b, buffers[2 * w].data(), buffers[2 * w + 1].data());
        });
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

void gelu_tanh_grad(const float* x, const float* dy, float* dx, size_t n) {
    cpu::ThreadPool::shared().parallel_for(n, 1 << 15, [&](size_t b, size_t e) { gelu_tanh_grad_range(x + b, dy + b, dx + b, e - b); });
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
