// Reference: shared/fixtures/parity/README.md (t5.encode, t5.checkpoint_bin).
import OpenSora
import Foundation
import MLXTensor
import NN

/// `t5.encode`: the encoder built from the fixture's HF config, weights loaded strictly.
struct T5EncodeRunner: ParityRunner {
    func run(_ f: ParityFixture) throws -> ParityResult {
        let config = try decodeConfig(T5Config.self, try f.jsonMetadata("config"), fixture: f.name)
        let model = try T5EncoderModel(config, key: fixtureWeightsKey)
        try model.loadWeights(from: f.weights)
        return .tensors(["last_hidden_state": try model(ids: try f.input("input_ids"), mask: try f.input("attention_mask"))])
    }
}

/// `t5.checkpoint_bin`: one model saved as `.bin` shards and as safetensors shards (tied embedding
/// omitted there); both folders must load strictly and reproduce the expected hidden states.
struct T5CheckpointRunner: ParityRunner {
    func run(_ f: ParityFixture) throws -> ParityResult {
        let base = f.url.deletingLastPathComponent().deletingLastPathComponent()
        var worst = 0.0, problems = [String]()
        for key in ["model_dir_bin", "model_dir_safetensors"] {
            guard let relative = f.metadata[key] else { throw ParityError.malformed(f.name, "metadata \(key) missing") }
            let folder = base.appendingPathComponent(relative).path
            let encoder = try TextEncoder(folder: folder)
            guard let model = encoder.model else { throw ParityError.malformed(f.name, "no model in \(folder)") }
            let out = try model(ids: try f.input("input_ids"), mask: try f.input("attention_mask"))
            let (err, found) = try ParityHarness.differences(["last_hidden_state": out], f)
            worst = max(worst, err)
            problems += found.map { "\(key): \($0)" }
        }
        return .checked(maxAbsError: worst, passed: problems.isEmpty, detail: problems.joined(separator: "; "))
    }
}
