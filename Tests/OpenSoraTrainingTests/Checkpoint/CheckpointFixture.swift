import Foundation
import MLXTensor
import NN
@testable import OpenSoraTraining
import XCTest

/// A small checkpoint with real optimizer/EMA states, and temporary experiment folders.
enum CheckpointFixture {
    static func folder(_ name: String = #function) throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("ckpt-\(name.filter(\.isLetter))-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func parameters(scale: Float = 1) -> [String: Tensor] {
        ["x_embedder.proj.weight": Tensor((0..<24).map { Float($0) * 0.37 * scale - 3 }, shape: [2, 3, 4]),
         "t_embedder.mlp.0.bias": Tensor([1e-30, -0.0, 3.5e38, 0.1].map { $0 * scale }, shape: [4])]
    }

    static func checkpoint(globalStep: Int, epoch: Int = 0) throws -> (TrainingCheckpoint, AdamW, EMA) {
        let params = parameters()
        let adam = AdamW(learningRate: 1e-4, eps: 1e-15)
        let grads = parameters(scale: 0.01)
        let updated = try adam.update(parameters: params, grads: grads)
        let ema = EMA(parameters: params, decay: 0.99)
        try ema.update(with: updated)
        var rng = RNGStates(keys: ["noise": .init(seed: 42, counter: UInt64(globalStep) * 3)])
        try rng.setGenerator(["python_random": [7, 8, 9]], named: "python")
        let config = try TrainingConfig.preset("stage1", overrides: [ConfigOverride(parsing: "optimizer.lr=2e-5")])
        let ckpt = TrainingCheckpoint(
            progress: TrainingProgress(epoch: epoch, step: globalStep, globalStep: globalStep, batchSize: 4),
            model: SafetensorsFile(tensors: updated), ema: try ema.state(), optimizer: adam.state(),
            sampler: BatchSamplerState(epoch: epoch, position: globalStep * 2), rng: rng, config: config,
            modelConfig: Data(#"{"hidden_size": 64}"#.utf8))
        return (ckpt, adam, ema)
    }
}
