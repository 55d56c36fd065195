// Reference: opensora/models/vae/losses.py@v1.2.0 (AdversarialLoss.calculate_adaptive_weight and forward), after
// taming-transformers' VQGAN loss; the last layer is `temporal_vae.decoder.conv_out.conv.weight` (vae.py).
import MLXTensor
import NN

extension AdversarialLoss {
    /// `calculate_adaptive_weight`: ‖∇nll‖ / (‖∇g‖ + 1e-4), clamped to [0, 1e4], detached, × generator_factor; it balances
    /// the adversarial gradient against the reconstruction's at the last decoder layer.
    public static func adaptiveWeight(nllGradient: Tensor, generatorGradient: Tensor, generatorFactor: Double) -> Tensor {
        let nllNorm = nllGradient.asType(.float32).square().sum().sqrt()
        let generatorNorm = generatorGradient.asType(.float32).square().sum().sqrt()
        return (nllNorm / (generatorNorm + 1e-4)).clipped(0, 1e4).stopGradient() * Float(generatorFactor)
    }

    /// The gradients of two scalar losses with respect to one parameter of `module`: the reference's two
    /// `torch.autograd.grad(…, last_layer, retain_graph=True)`; here `losses` (the forward) is traced once per loss.
    public static func gradients(of losses: () throws -> (Tensor, Tensor), withRespectTo path: String,
                                 in module: Module) throws -> (Tensor, Tensor) {
        guard let weight = module.namedParameters().first(where: { $0.0 == path })?.1 else {
            throw ConfigError.invalidValue(path: "discriminator", value: "no parameter '\(path)'", accepted: "a model with that last layer")
        }
        defer { try? module.update(parameters: [path: weight]) }
        func gradient(_ first: Bool) throws -> Tensor {
            let (_, grads) = try valueAndGrad(of: { inputs in
                try module.update(parameters: [path: inputs[0]])
                let (a, b) = try losses()
                return first ? [a, b] : [b, a]
            }, at: [weight])
            return grads[0]
        }
        return (try gradient(true), try gradient(false))
    }
}
