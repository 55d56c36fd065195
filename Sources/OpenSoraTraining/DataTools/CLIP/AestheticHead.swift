// Reference: tools/scoring/aesthetic/inference.py@v1.2.0 (MLP: Linear, Dropout ×3, Linear, Linear;
// no activations); improved-aesthetic-predictor's sac+logos+ava1-l14-linearMSE.pth. spec/tools.md §6, §14.1.
import Foundation
import MLXTensor
import NN
import OpenSora

/// The aesthetic predictor: five Linear layers in a row with nothing between them (the dropouts are
/// inactive at eval), keyed as the `nn.Sequential` indices that hold weights: 0, 2, 4, 6, 7.
public final class AestheticHead: Module {
    @Child(key: "layers") public var layers: AestheticLayers

    /// The predictor's widths, input first: 768 → 1024 → 128 → 64 → 16 → 1.
    public static let vitL14Widths = [768, 1024, 128, 64, 16, 1]

    public init(widths: [Int] = AestheticHead.vitL14Widths, key: RandomKey) throws {
        guard widths.count == 6, widths.allSatisfy({ $0 > 0 }), widths.last == 1 else {
            throw OpenSoraError.invalidConfiguration("AestheticHead: widths \(widths) must be six positive widths ending in 1 (\(Self.vitL14Widths))")
        }
        super.init()
        layers = AestheticLayers(widths: widths, key: key)
        eval()
    }

    /// Normalised image embeddings [B, widths[0]] → scores [B].
    public func callAsFunction(_ embeddings: Tensor) -> Tensor {
        layers.linears.reduce(embeddings) { $1($0) }.reshaped(-1)
    }

    /// The `.pth` state_dict (or safetensors) at `path`, strictly; the widths come from the file.
    public static func load(path: String) throws -> AestheticHead {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CheckpointError.notFound(path: path, accepted: "the aesthetic MLP state_dict (aesthetic.pth: layers.0/2/4/6/7.weight and .bias)")
        }
        let weights = try ModelFolder.tensors(at: path)
        let widths = try AestheticLayers.indices.enumerated().map { i, index -> [Int] in
            guard let w = weights["layers.\(index).weight"], w.ndim == 2 else {
                throw CheckpointError.notFound(path: path, accepted: "an aesthetic MLP state_dict with layers.\(index).weight [out, in]")
            }
            return i == 0 ? [w.dim(1), w.dim(0)] : [w.dim(0)]
        }.flatMap { $0 }
        let head = try AestheticHead(widths: widths, key: RandomKey(seed: 0))
        try head.loadWeights(from: weights, strict: true)
        return head
    }
}

/// The Linear layers of the predictor's `nn.Sequential`, at their indices (the dropouts hold nothing).
public final class AestheticLayers: Module {
    static let indices = [0, 2, 4, 6, 7]
    @Child(key: "0") var layer0: Linear
    @Child(key: "2") var layer2: Linear
    @Child(key: "4") var layer4: Linear
    @Child(key: "6") var layer6: Linear
    @Child(key: "7") var layer7: Linear

    init(widths: [Int], key: RandomKey) {
        let keys = key.split(into: 5)
        super.init()
        layer0 = Linear(widths[0], widths[1], key: keys[0])
        layer2 = Linear(widths[1], widths[2], key: keys[1])
        layer4 = Linear(widths[2], widths[3], key: keys[2])
        layer6 = Linear(widths[3], widths[4], key: keys[3])
        layer7 = Linear(widths[4], widths[5], key: keys[4])
    }

    var linears: [Linear] { [layer0, layer2, layer4, layer6, layer7] }
}
