// Reference: opensora/models/vae/vae_temporal.py@v1.2.0 (VAE_Temporal), diffusers AutoencoderKL
// (ModelMixin: no _init_weights); torch.nn.modules {linear,conv}.py reset_parameters.
import MLXTensor
import NN

/// Neither VAE defines an init of its own, so training from scratch starts from PyTorch's layer
/// defaults: kaiming_uniform_(a=√5) weights = U(±1/√fan_in), biases U(±1/√fan_in), GroupNorm ones/zeros
/// (what the constructors draw already; these redraw them from a new key).
extension TemporalVAE {
    public func initializeWeights(key: RandomKey) { resetParametersToPyTorchDefaults(key: key) }
}

extension VideoAutoencoderKL {
    public func initializeWeights(key: RandomKey) { resetParametersToPyTorchDefaults(key: key) }
}

extension VideoVAE {
    public func initializeWeights(key: RandomKey) {
        let keys = key.split(into: 2)
        spatial.initializeWeights(key: keys[0])
        temporal.initializeWeights(key: keys[1])
    }
}
