// The custom MLX primitive the shim's CPU kernels run as: evaluates a float32 kernel on CPU streams and
// differentiates by a given vjp or through the composed MLX expression the kernel replaces.
#pragma once
#include <functional>
#include <stdexcept>
#include <string>
#include "internal.hpp"
#include "mlx/backend/cpu/encoder.h"
#include "mlx/primitives.h"

namespace cmlx {

using Composed = std::function<std::vector<mx::array>(const std::vector<mx::array>&)>;

/// Gradients of the kernel's inputs (those in argnums) given its primals and output cotangent.
using Vjp = std::function<std::vector<mx::array>(const std::vector<mx::array>&, const mx::array&, const std::vector<int>&)>;

/// A float32 CPU kernel over row-contiguous inputs with one output shaped like input 0.
class KernelPrimitive : public mx::UnaryPrimitive {
   public:
    using Kernel = std::function<void(const std::vector<const float*>&, float*, const mx::Shape&)>;

    /// Without `vjp`, gradients are those of `composed`, the MLX expression the kernel computes.
    KernelPrimitive(mx::Stream s, const char* name, Kernel kernel, Composed composed, Vjp vjp = nullptr)
        : mx::UnaryPrimitive(s), name_(name), kernel_(std::move(kernel)), composed_(std::move(composed)), vjp_(std::move(vjp)) {
        // Swift only picks kernels when MLX's default device is the CPU; a caller that did not must
        // get an error, not GPU arrays routed into a CPU-only primitive.
        if (mx::default_device() != mx::Device::cpu)
            throw std::invalid_argument(std::string("[") + name + "] is a CPU kernel but the default device is the GPU");
    }

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

}  // namespace cmlx
