// Function transforms over caller-implemented functions: a C callback plus context, wrapped in a
// std::function so MLX's vjp / value_and_grad / compile / checkpoint can trace it.
#include <memory>
#include "internal.hpp"
using namespace cmlx;

using ArrayFunction = std::function<std::vector<mx::array>(const std::vector<mx::array>&)>;

/** Owns the caller's context; released when the last closure (or compiled copy) using it goes. */
struct CallbackOwner {
    cmlx_function fn;
    void* context;
    void (*release)(void*);
    ~CallbackOwner() {
        if (release != nullptr) release(context);
    }
};

struct cmlx_closure_impl {
    ArrayFunction fn;
};

/** Depth of this thread's cmlx_value_and_grad / cmlx_vjp calls (MLX does not export its own counter). */
static thread_local int grad_trace_depth = 0;

struct GradTraceScope {
    GradTraceScope() { ++grad_trace_depth; }
    ~GradTraceScope() { --grad_trace_depth; }
};

static std::vector<mx::array> items_of(cmlx_vector v) {
    if (v == nullptr) throw std::invalid_argument("[cmlx] null vector handle");
    return v->items;
}

extern "C" {

cmlx_closure cmlx_closure_new(cmlx_function fn, void* context, void (*release)(void*)) {
    return guard_or<cmlx_closure>(nullptr, [&] {
        // Built in place: a temporary CallbackOwner would run the release callback on destruction.
        auto owner = std::shared_ptr<CallbackOwner>(new CallbackOwner{fn, context, release});
        return new cmlx_closure_impl{[owner](const std::vector<mx::array>& inputs) {
            cmlx_vector_impl in{inputs};
            cmlx_vector_impl out{};
            if (owner->fn(owner->context, &in, &out) != 0) throw std::runtime_error(cmlx_last_error());
            return out.items;
        }};
    });
}

void cmlx_closure_free(cmlx_closure c) { delete c; }

int cmlx_closure_apply(cmlx_vector outputs, cmlx_closure c, cmlx_vector inputs) {
    return guard([&] {
        for (auto& a : c->fn(items_of(inputs))) outputs->items.push_back(a);
    });
}

int cmlx_value_and_grad(cmlx_vector values, cmlx_vector grads, cmlx_closure c, cmlx_vector inputs,
                        const int* argnums, int nargnums) {
    return guard([&] {
        GradTraceScope scope;
        auto [vals, gs] = mx::value_and_grad(c->fn, ints(argnums, nargnums))(items_of(inputs));
        for (auto& a : vals) values->items.push_back(a);
        for (auto& a : gs) grads->items.push_back(a);
    });
}

int cmlx_vjp(cmlx_vector outputs, cmlx_vector vjps, cmlx_closure c, cmlx_vector primals, cmlx_vector cotangents) {
    return guard([&] {
        GradTraceScope scope;
        auto [outs, vs] = mx::vjp(c->fn, items_of(primals), items_of(cotangents));
        for (auto& a : outs) outputs->items.push_back(a);
        for (auto& a : vs) vjps->items.push_back(a);
    });
}

int cmlx_compile(cmlx_closure* out, cmlx_closure c, int shapeless) {
    return guard([&] { *out = new cmlx_closure_impl{mx::compile(c->fn, shapeless != 0)}; });
}

int cmlx_checkpoint(cmlx_closure* out, cmlx_closure c) {
    return guard([&] {
        if (c == nullptr) throw std::invalid_argument("[cmlx_checkpoint] null closure handle");
        // mx::checkpoint with two more edges, without which the recomputation saved nothing here
        // (an STDiT3 training step, docs/PERFORMANCE.md: 6.99 GB against 7.2 GB plain; 2.7 GB with them):
        // - the recomputation waits for the cotangents, not just the outputs, so it runs once the
        //   later blocks' backward is done, not all blocks up front;
        // - every vjp waits for all of them, so the weight gradients (needed only at the end) are
        //   computed before the input's cotangent lets the previous block recompute, and this
        //   block's recomputed activations are freed first.
        auto fun = c->fn;
        auto recompute = [fun](const std::vector<mx::array>& primals, const std::vector<mx::array>& cotangents,
                               const std::vector<mx::array>&) {
            auto vjps = mx::vjp(fun, mx::depends(primals, cotangents), cotangents).second;
            return mx::depends(vjps, vjps);
        };
        *out = new cmlx_closure_impl{mx::custom_vjp(fun, recompute)};
    });
}

int cmlx_custom_vjp(cmlx_closure* out, cmlx_closure fun, cmlx_closure backward) {
    return guard([&] {
        if (fun == nullptr || backward == nullptr) throw std::invalid_argument("[cmlx_custom_vjp] null closure handle");
        auto bwd = backward->fn;
        auto vjp = [bwd](const std::vector<mx::array>& primals, const std::vector<mx::array>& cotangents,
                         const std::vector<mx::array>& outputs) {
            std::vector<mx::array> all(primals);
            all.insert(all.end(), cotangents.begin(), cotangents.end());
            all.insert(all.end(), outputs.begin(), outputs.end());
            return bwd(all);
        };
        *out = new cmlx_closure_impl{mx::custom_vjp(fun->fn, vjp)};
    });
}

int cmlx_in_grad_trace(void) { return grad_trace_depth > 0 ? 1 : 0; }

int cmlx_array_is_tracer(cmlx_array a) {
    return guard_or(0, [&] { return unwrap(a).is_tracer() ? 1 : 0; });
}

int cmlx_set_compile_enabled(int enabled) {
    return guard([&] { enabled ? mx::enable_compile() : mx::disable_compile(); });
}

}  // extern "C"
