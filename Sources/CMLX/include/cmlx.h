// cmlx.h — the C face of MLX's C++ core, the only header the Swift side sees.
//
// Conventions (STYLE.md, "C shim"): every function returns 0 on success and 1 on failure and writes
// its result through an out-pointer; on failure the message is in cmlx_last_error() (thread-local).
// Handles are opaque; each one a function hands out is owned by the caller and freed with its _free.
// The shim only converts arguments: no model logic and no defaults.
#ifndef CMLX_H
#define CMLX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// ---- errors (error.cpp) ---------------------------------------------------------------------
/** The message of the last failure on this thread (empty when none). */
const char* cmlx_last_error(void);
/** Sets the message a failing callback wants reported. */
void cmlx_set_error(const char* message);

// ---- handles (array.cpp) --------------------------------------------------------------------
typedef struct cmlx_array_impl* cmlx_array;
typedef struct cmlx_vector_impl* cmlx_vector;

/** Element types, numbered as Swift's DType raw values. */
typedef enum {
    CMLX_BOOL = 0, CMLX_UINT8 = 1, CMLX_INT32 = 2, CMLX_INT64 = 3,
    CMLX_FLOAT16 = 4, CMLX_BFLOAT16 = 5, CMLX_FLOAT32 = 6, CMLX_UINT32 = 7, CMLX_FLOAT64 = 8,
    /** Returned by cmlx_array_dtype when the query failed; never accepted as an input type. */
    CMLX_UNSUPPORTED = 255
} cmlx_dtype;

void cmlx_array_free(cmlx_array a);
/** A second handle to the same array. */
cmlx_array cmlx_array_new_handle(cmlx_array a);  // NULL on failure (message in cmlx_last_error)
/** Copies `data` (row-major, `dtype` elements) into a new array of the given shape. */
int cmlx_array_from_data(cmlx_array* out, const void* data, const int* shape, int ndim, cmlx_dtype dtype);
int cmlx_array_scalar_f32(cmlx_array* out, float value, cmlx_dtype dtype);
int cmlx_array_full(cmlx_array* out, const int* shape, int ndim, cmlx_array value, cmlx_dtype dtype);
int cmlx_array_ndim(cmlx_array a);
/** Size of `axis` (negative counts from the end); fails for an axis the array does not have. */
int cmlx_array_dim(int* out, cmlx_array a, int axis);
size_t cmlx_array_size(cmlx_array a);
cmlx_dtype cmlx_array_dtype(cmlx_array a);
int cmlx_array_eval(cmlx_array a);
/** Evaluates and copies the (row-major) contents into `dst`, which holds `nbytes`. */
int cmlx_array_copy_to(cmlx_array a, void* dst, size_t nbytes);
int cmlx_eval_many(const cmlx_array* arrays, size_t count);

cmlx_vector cmlx_vector_new(void);
void cmlx_vector_free(cmlx_vector v);
size_t cmlx_vector_size(cmlx_vector v);
int cmlx_vector_append(cmlx_vector v, cmlx_array a);
/** A new handle to element i (the caller frees it). */
int cmlx_vector_get(cmlx_array* out, cmlx_vector v, size_t i);

// ---- elementwise (elementwise.cpp) ----------------------------------------------------------
typedef enum {
    CMLX_ABS, CMLX_NEG, CMLX_EXP, CMLX_LOG, CMLX_SQRT, CMLX_RSQRT, CMLX_SIN, CMLX_COS, CMLX_TANH,
    CMLX_ERF, CMLX_SIGMOID, CMLX_SQUARE, CMLX_FLOOR, CMLX_CEIL, CMLX_ROUND, CMLX_LOG1P, CMLX_RECIPROCAL,
    CMLX_LOGICAL_NOT, CMLX_STOP_GRADIENT, CMLX_ISNAN, CMLX_ERFINV, CMLX_COPY
} cmlx_unary_op;
typedef enum {
    CMLX_ADD, CMLX_SUB, CMLX_MUL, CMLX_DIV, CMLX_POW, CMLX_MAXIMUM, CMLX_MINIMUM,
    CMLX_EQUAL, CMLX_NOT_EQUAL, CMLX_LESS, CMLX_LESS_EQUAL, CMLX_GREATER, CMLX_GREATER_EQUAL,
    CMLX_LOGICAL_AND, CMLX_LOGICAL_OR, CMLX_ATAN2, CMLX_REMAINDER, CMLX_FLOOR_DIVIDE
} cmlx_binary_op;
int cmlx_unary(cmlx_array* out, cmlx_unary_op op, cmlx_array a);
int cmlx_binary(cmlx_array* out, cmlx_binary_op op, cmlx_array a, cmlx_array b);
int cmlx_where(cmlx_array* out, cmlx_array condition, cmlx_array a, cmlx_array b);
int cmlx_astype(cmlx_array* out, cmlx_array a, cmlx_dtype dtype);
int cmlx_clip(cmlx_array* out, cmlx_array a, cmlx_array lo, cmlx_array hi);

// ---- shape (shape.cpp) ----------------------------------------------------------------------
int cmlx_reshape(cmlx_array* out, cmlx_array a, const int* shape, int ndim);
int cmlx_transpose(cmlx_array* out, cmlx_array a, const int* axes, int naxes);
/** Strided slice; start/stop/strides have one entry per axis (already resolved, no negatives). */
int cmlx_slice(cmlx_array* out, cmlx_array a, const int* start, const int* stop, const int* strides, int ndim);
int cmlx_slice_update(cmlx_array* out, cmlx_array src, cmlx_array update, const int* start, const int* stop,
                      const int* strides, int ndim);
int cmlx_concatenate(cmlx_array* out, const cmlx_array* arrays, size_t count, int axis);
int cmlx_stack(cmlx_array* out, const cmlx_array* arrays, size_t count, int axis);
/** Splits at the given indices along `axis`; the pieces are appended to `out`. */
int cmlx_split(cmlx_vector out, cmlx_array a, const int* indices, int nindices, int axis);
/** Constant padding: low[i]/high[i] elements before/after along axis i of every axis. */
int cmlx_pad(cmlx_array* out, cmlx_array a, const int* low, const int* high, int ndim, cmlx_array value);
int cmlx_broadcast_to(cmlx_array* out, cmlx_array a, const int* shape, int ndim);
int cmlx_expand_dims(cmlx_array* out, cmlx_array a, int axis);
int cmlx_squeeze(cmlx_array* out, cmlx_array a, const int* axes, int naxes);
int cmlx_take(cmlx_array* out, cmlx_array a, cmlx_array indices, int axis);
int cmlx_take_along_axis(cmlx_array* out, cmlx_array a, cmlx_array indices, int axis);
int cmlx_repeat(cmlx_array* out, cmlx_array a, int repeats, int axis);
int cmlx_tile(cmlx_array* out, cmlx_array a, const int* reps, int nreps);
int cmlx_flip(cmlx_array* out, cmlx_array a, int axis);
int cmlx_arange(cmlx_array* out, double start, double stop, double step, cmlx_dtype dtype);
int cmlx_contiguous(cmlx_array* out, cmlx_array a);

// ---- reductions (reduce.cpp) ----------------------------------------------------------------
typedef enum {
    CMLX_SUM, CMLX_MEAN, CMLX_MAX, CMLX_MIN, CMLX_PROD, CMLX_LOGSUMEXP, CMLX_ARGMAX, CMLX_ARGMIN,
    CMLX_ALL, CMLX_ANY
} cmlx_reduce_op;
/** Reduces over `axes` (all axes when naxes is 0). ARGMAX/ARGMIN take exactly one axis. */
int cmlx_reduce(cmlx_array* out, cmlx_reduce_op op, cmlx_array a, const int* axes, int naxes, int keepdims);
int cmlx_var(cmlx_array* out, cmlx_array a, const int* axes, int naxes, int keepdims, int ddof);
int cmlx_cumsum(cmlx_array* out, cmlx_array a, int axis, int reverse, int inclusive);
int cmlx_softmax(cmlx_array* out, cmlx_array a, const int* axes, int naxes, int precise);
int cmlx_sort(cmlx_array* out, cmlx_array a, int axis);
int cmlx_argsort(cmlx_array* out, cmlx_array a, int axis);

// ---- linear algebra (linalg.cpp) ------------------------------------------------------------
int cmlx_matmul(cmlx_array* out, cmlx_array a, cmlx_array b);
/** alpha * (a @ b) + beta * c */
int cmlx_addmm(cmlx_array* out, cmlx_array c, cmlx_array a, cmlx_array b, float alpha, float beta);

// ---- convolution (conv.cpp) -----------------------------------------------------------------
/** N-d convolution, channels-last input [N, spatial…, Cin], weight [Cout, k…, Cin/groups]. */
int cmlx_conv_general(cmlx_array* out, cmlx_array input, cmlx_array weight, const int* stride,
                      const int* padding_lo, const int* padding_hi, const int* kernel_dilation,
                      const int* input_dilation, int nspatial, int groups, int flip);
/** Transposed N-d convolution (N = 1, 2, 3), channels-last, weight [Cout, k…, Cin/groups]. */
int cmlx_conv_transpose(cmlx_array* out, cmlx_array input, cmlx_array weight, const int* stride,
                        const int* padding, const int* dilation, const int* output_padding,
                        int nspatial, int groups);

// ---- fast ops (fast.cpp) --------------------------------------------------------------------
/** weight/bias may be NULL. */
int cmlx_fast_layer_norm(cmlx_array* out, cmlx_array x, cmlx_array weight, cmlx_array bias, float eps);
int cmlx_fast_rms_norm(cmlx_array* out, cmlx_array x, cmlx_array weight, float eps);
/** RoPE over the last axis, positions offset..offset+L-1 along axis -2. freqs may be NULL (then base). */
int cmlx_fast_rope(cmlx_array* out, cmlx_array x, int dims, int traditional, float base, float scale,
                   int offset, cmlx_array freqs);
/** softmax(q k^T * scale + mask) v over [B, H, L, D]; mask (additive float or boolean) may be NULL. */
int cmlx_fast_sdpa(cmlx_array* out, cmlx_array q, cmlx_array k, cmlx_array v, float scale, cmlx_array mask);

// ---- vectorised CPU kernels (cpu_primitives.cpp, cpu_kernels.cpp) ------------------------------
// Custom MLX primitives for float32 on the CPU stream: AVX-512/AVX2/baseline variants chosen at run
// time, rows split across cores; gradients are kernels too (convolution, RoPE, transpose) or come from
// the composed MLX expression a kernel replaces.

/** tanh GELU, x·sigmoid(2·√(2/π)·(x + 0.044715x³)). */
int cmlx_kernel_gelu_tanh(cmlx_array* out, cmlx_array x);
/** x·sigmoid(x) */
int cmlx_kernel_silu(cmlx_array* out, cmlx_array x);
/** LayerNorm over the last axis without affine, then ·(1 + scale) + shift ([B, 1, C]); both may be NULL. */
int cmlx_kernel_layer_norm_modulate(cmlx_array* out, cmlx_array x, cmlx_array shift, cmlx_array scale, float eps);
/** GroupNorm over channels-last [N, positions…, C] (PyTorch grouping), weight/bias may be NULL,
 *  silu != 0 applies SiLU after it. */
int cmlx_kernel_group_norm(cmlx_array* out, cmlx_array x, cmlx_array weight, cmlx_array bias, int groups, float eps, int silu);
/** softmax(q·kᵀ·scale)·v without a mask, q [..., Lq, D], k/v [..., Lk, D] with equal batch axes. */
int cmlx_kernel_attention(cmlx_array* out, cmlx_array q, cmlx_array k, cmlx_array v, float scale);
/** x/√(mean(x²) + eps)·weight over the last axis (weight may be NULL). */
int cmlx_kernel_rms_norm(cmlx_array* out, cmlx_array x, cmlx_array weight, float eps);
/** x + gate·o, x and o [B, N, C], gate [B, 1, C]. */
int cmlx_kernel_gated_residual(cmlx_array* out, cmlx_array x, cmlx_array gate, cmlx_array o);
/** Undilated ungrouped 2-D/3-D convolution, channels last, weight [Cout, k…, Cin]; stride, pad_lo,
 *  pad_hi per spatial axis; bias and residual (added to the output) may be NULL. No im2col: Winograd
 *  F(2×2, 3×3) for 3×3 spatial kernels, otherwise one GEMM per kernel tap over the padded input. */
int cmlx_kernel_conv(cmlx_array* out, cmlx_array x, cmlx_array weight, cmlx_array bias, cmlx_array residual, const int* stride,
                     const int* pad_lo, const int* pad_hi, int nspatial);
/** Nearest-neighbour ×2 upsampling of channels-last float32 images [N, H, W, C]. */
int cmlx_kernel_upsample_nearest2x(cmlx_array* out, cmlx_array x);
/** Softmax over the last axis. */
int cmlx_kernel_softmax(cmlx_array* out, cmlx_array x);
/** Rotary embedding of x [..., L, D] over interleaved pairs, positions 0..L−1 along axis −2, freqs [D/2]. */
int cmlx_kernel_rope(cmlx_array* out, cmlx_array x, cmlx_array freqs);
/** x transposed by `axes`, materialised row-contiguous by a multi-threaded copy. */
int cmlx_kernel_transpose(cmlx_array* out, cmlx_array x, const int* axes, int naxes);

// ---- random (random.cpp) --------------------------------------------------------------------
int cmlx_random_key(cmlx_array* out, uint64_t seed);
/** Splits a key into `num` keys, stacked on axis 0. */
int cmlx_random_split(cmlx_array* out, cmlx_array key, int num);
int cmlx_random_normal(cmlx_array* out, const int* shape, int ndim, cmlx_dtype dtype, cmlx_array key);
int cmlx_random_uniform(cmlx_array* out, float low, float high, const int* shape, int ndim, cmlx_dtype dtype,
                        cmlx_array key);
int cmlx_random_bernoulli(cmlx_array* out, cmlx_array p, const int* shape, int ndim, cmlx_array key);
int cmlx_random_categorical(cmlx_array* out, cmlx_array logits, int axis, cmlx_array key);
int cmlx_random_randint(cmlx_array* out, int low, int high, const int* shape, int ndim, cmlx_dtype dtype,
                        cmlx_array key);

// ---- function transforms (transforms.cpp) ---------------------------------------------------
/** A function over arrays implemented by the caller: reads `inputs`, appends its results to
 *  `outputs`, returns 0 (or non-zero after cmlx_set_error on failure). */
typedef int (*cmlx_function)(void* context, cmlx_vector inputs, cmlx_vector outputs);
typedef struct cmlx_closure_impl* cmlx_closure;

/** `release` (may be NULL) is called with `context` when the closure is freed. */
cmlx_closure cmlx_closure_new(cmlx_function fn, void* context, void (*release)(void*));
void cmlx_closure_free(cmlx_closure c);
int cmlx_closure_apply(cmlx_vector outputs, cmlx_closure c, cmlx_vector inputs);
/** Value and gradient: outputs[0] must be a scalar loss; grads of it w.r.t. inputs[argnums] are
 *  appended to `grads`, every output of the function to `values`. */
int cmlx_value_and_grad(cmlx_vector values, cmlx_vector grads, cmlx_closure c, cmlx_vector inputs,
                        const int* argnums, int nargnums);
/** Vector-Jacobian product with explicit cotangents (one per output). */
int cmlx_vjp(cmlx_vector outputs, cmlx_vector vjps, cmlx_closure c, cmlx_vector primals, cmlx_vector cotangents);
/** A compiled version of `c` (MLX graph compilation; shapeless != 0 reuses it across shapes). */
int cmlx_compile(cmlx_closure* out, cmlx_closure c, int shapeless);
int cmlx_set_compile_enabled(int enabled);
/** A checkpointed version of `c` (activation recomputation, mx::checkpoint ordered for memory): under
 *  a gradient transform its outputs keep only its inputs for the backward pass, which calls `c` again
 *  once its cotangents exist. Gradients reach `c`'s explicit inputs only (arrays it captures are
 *  constants). The result keeps `c`'s callback alive. */
int cmlx_checkpoint(cmlx_closure* out, cmlx_closure c);
/** `fun` with its vector-Jacobian product replaced by `backward`, which receives the primals, then
 *  the cotangents, then the outputs (one vector) and returns one cotangent per primal. */
int cmlx_custom_vjp(cmlx_closure* out, cmlx_closure fun, cmlx_closure backward);
/** 1 while cmlx_value_and_grad or cmlx_vjp is running on this thread (tracing or differentiating). */
int cmlx_in_grad_trace(void);
/** 1 when `a` depends on an input that a running transform traces (an MLX tracer), else 0. */
int cmlx_array_is_tracer(cmlx_array a);

// ---- safetensors (io.cpp) -------------------------------------------------------------------
typedef struct cmlx_tensor_file_impl* cmlx_tensor_file;
int cmlx_safetensors_load(cmlx_tensor_file* out, const char* path);
void cmlx_tensor_file_free(cmlx_tensor_file f);
size_t cmlx_tensor_file_count(cmlx_tensor_file f);
const char* cmlx_tensor_file_name(cmlx_tensor_file f, size_t i);
int cmlx_tensor_file_array(cmlx_array* out, cmlx_tensor_file f, size_t i);
size_t cmlx_tensor_file_metadata_count(cmlx_tensor_file f);
const char* cmlx_tensor_file_metadata_key(cmlx_tensor_file f, size_t i);
const char* cmlx_tensor_file_metadata_value(cmlx_tensor_file f, size_t i);
int cmlx_safetensors_save(const char* path, const char* const* names, const cmlx_array* arrays, size_t count,
                          const char* const* meta_keys, const char* const* meta_values, size_t meta_count);

// ---- devices and memory (device.cpp) --------------------------------------------------------
/** 0 = CPU, 1 = GPU. */
int cmlx_set_default_device(int gpu);
/** 1 when MLX's default device is the GPU, 0 for the CPU. */
int cmlx_default_device_is_gpu(void);
int cmlx_gpu_available(void);
size_t cmlx_peak_memory(void);
size_t cmlx_active_memory(void);
void cmlx_reset_peak_memory(void);
void cmlx_clear_cache(void);
/** Bytes of freed buffers MLX keeps for reuse (returns the previous limit). */
size_t cmlx_set_cache_limit(size_t bytes);
/** Buffers of at least `bytes` are mapped from and returned to the system directly (glibc; a no-op
 *  elsewhere or when MALLOC_MMAP_THRESHOLD_ is set). Returns the previous threshold. */
size_t cmlx_set_mmap_threshold(size_t bytes);
/** "0.32.4" */
const char* cmlx_version(void);

// ---- distributed (distributed.cpp) ----------------------------------------------------------
typedef struct cmlx_group_impl* cmlx_group;
int cmlx_distributed_available(const char* backend);
/** backend: "any", "ring", "mpi", "nccl"; strict != 0 fails instead of returning a singleton group. */
int cmlx_group_init(cmlx_group* out, int strict, const char* backend);
void cmlx_group_free(cmlx_group g);
int cmlx_group_rank(cmlx_group g);
int cmlx_group_size(cmlx_group g);
int cmlx_group_split(cmlx_group* out, cmlx_group g, int color, int key);
int cmlx_all_sum(cmlx_array* out, cmlx_array x, cmlx_group g);
int cmlx_all_max(cmlx_array* out, cmlx_array x, cmlx_group g);
int cmlx_all_gather(cmlx_array* out, cmlx_array x, cmlx_group g);
int cmlx_send(cmlx_array* out, cmlx_array x, int dst, cmlx_group g);
int cmlx_recv(cmlx_array* out, const int* shape, int ndim, cmlx_dtype dtype, int src, cmlx_group g);

#ifdef __cplusplus
}
#endif
#endif
