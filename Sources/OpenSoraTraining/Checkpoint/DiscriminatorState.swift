// Reference: scripts/train_vae.py@v1.2.0 (`booster.save_model(discriminator, …/discriminator)`, `save_optimizer(disc_optimizer,
// …/disc_optimizer)`); ours are two safetensors files of the checkpoint folder.
import MLXTensor

/// A discriminator's part of a checkpoint: weights with BatchNorm buffers (state_dict names, PyTorch layouts) and AdamW state.
public struct DiscriminatorState {
    public var model: SafetensorsFile
    public var optimizer: SafetensorsFile

    public init(model: SafetensorsFile, optimizer: SafetensorsFile) {
        (self.model, self.optimizer) = (model, optimizer)
    }
}
