// Reference: shared/fixtures/parity/README.md (t5.encode, t5.checkpoint_bin).
import Foundation
import MLXTensor
import NN

/// `t5.encode`: the encoder built from the fixture's HF config, weights loaded strictly.
struct T5EncodeRunner: ParityRunner {
    func run(_ f: ParityFixture) throws -> ParityResult {
        let config = try decodeConfig(T5Config.self, try f.jsonMetadata("config"), fixture: f.name)
        let model = try T5EncoderModel(config)
        try model.loadWeights(from: f.weights)
        return .tensors(["last_hidden_state": try model(ids: try f.input("input_ids"), mask: try f.input("attention_mask"))])
    }
}
