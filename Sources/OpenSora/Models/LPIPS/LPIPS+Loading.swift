// Reference: opensora/models/vae/lpips.py@v1.2.0 (vgg16's slicing of torchvision features,
// LPIPS.load_from_pretrained); torchvision's vgg16-397923af.pth, taming's vgg.pth.
import MLXTensor
import NN

extension LPIPS {
    /// LPIPS from its published weights, loaded strictly (a missing, unexpected or wrong-shape key
    /// throws `CheckpointError.mismatch` naming it). `headWeights` is taming's `vgg.pth`
    /// (`lin0.model.1.weight` …) or a whole LPIPS state_dict (`net.slice1.0.weight` … as well);
    /// `vggWeights`, when the trunk is not in it, is torchvision's vgg16 (`features.N.*`). Either
    /// may be safetensors or a PyTorch zip checkpoint.
    public static func load(headWeights: String, vggWeights: String? = nil, config: LPIPSConfig = .vgg16) throws -> LPIPS {
        var weights = try ModelFolder.tensors(at: headWeights)
        if let vggWeights {
            let trunk = referenceNames(torchvision: try ModelFolder.tensors(at: vggWeights))
            if let both = trunk.keys.sorted().first(where: { weights[$0] != nil }) {
                throw OpenSoraError.invalidInput("LPIPS: \(both) is in both \(headWeights) and \(vggWeights); give the trunk once")
            }
            weights.merge(trunk) { first, _ in first }
        }
        let model = try LPIPS(config, key: RandomKey(seed: 0))
        try model.load(referenceWeights: weights)
        return model
    }

    /// Loads a state_dict in the reference's names, strictly. The scaling layer's buffers keep
    /// their constants when absent: the reference registers them in code, and taming's file lacks them.
    public func load(referenceWeights: [String: Tensor]) throws {
        var weights = referenceWeights
        for (name, value) in scalingLayer.stateDict() where weights["scaling_layer." + name] == nil {
            weights["scaling_layer." + name] = value
        }
        try loadWeights(from: weights, strict: true)
    }

    /// torchvision's `features.N.<name>` becomes the reference's `net.sliceK.N.<name>`, and the
    /// unused fully connected head (`classifier.*`) is dropped; anything else passes unchanged, so
    /// strict loading names it.
    public static func referenceNames(torchvision weights: [String: Tensor]) -> [String: Tensor] {
        var result = [String: Tensor]()
        for (name, tensor) in weights where !name.hasPrefix("classifier.") {
            result[trunkName(torchvision: name) ?? name] = tensor
        }
        return result
    }

    /// `features.5.weight` → `net.slice2.5.weight`; nil for a name outside `features.0` … `features.29`.
    static func trunkName(torchvision name: String) -> String? {
        let parts = name.split(separator: ".", maxSplits: 2)
        guard parts.count == 3, parts[0] == "features", let n = Int(parts[1]),
              let slice = VGG16Features.slicePath(featureIndex: n) else { return nil }
        return "net.\(slice).\(parts[2])"
    }
}
