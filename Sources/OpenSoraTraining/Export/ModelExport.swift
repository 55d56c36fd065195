// Added (not in the reference): `opensora train export`: a trained model as the released models are laid out — a folder
// with config.json and model.safetensors (T5 adds spiece.model) — so generate, eval and the default model load it
// through the same code as the official checkpoints.
import Foundation
import MLXTensor
import NN
import OpenSora

public enum ModelExport {
    /// Writes `files` (name → bytes) and `weights` as model.safetensors into `folder`, built under a temporary name and
    /// swapped in whole, so a reader never sees a half-written model.
    static func writeFolder(_ folder: String, config: Data, weights: [String: Tensor], files: [String: Data] = [:]) throws {
        try FileManager.default.createDirectory(atPath: (folder as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try AtomicFile.write(to: folder) { temp in
            try FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: true)
            func at(_ name: String) -> String { (temp as NSString).appendingPathComponent(name) }
            try Safetensors.save(SafetensorsFile(tensors: weights, metadata: ["format": "pt"]), to: at("model.safetensors"))
            try config.write(to: URL(fileURLWithPath: at("config.json")))
            for (name, data) in files { try data.write(to: URL(fileURLWithPath: at(name))) }
        }
    }

    static func json<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(value)
    }

    /// The tiny T5 of `TextEncoder.tiny(key:)` with the bundled SentencePiece model: random, frozen weights from `seed`.
    public static func tinyT5(seed: UInt64, to folder: String) throws {
        let encoder = try TextEncoder.tiny(key: RandomKey(seed: seed))
        guard let model = encoder.model else { throw OpenSoraError.invalidInput("export: the tiny T5 has no model") }
        let spiece = try Data(contentsOf: URL(fileURLWithPath: TextEncoder.tinyTokenizerPath()))
        try writeFolder(folder, config: json(model.config), weights: model.stateDict(), files: ["spiece.model": spiece])
    }

    /// STDiT3 from a diffusion checkpoint (its EMA weights with `useEMA`), plus the sampling defaults it was trained for.
    public static func denoiser(checkpoint: String, to folder: String, useEMA: Bool, defaults: GenerationDefaults?) throws {
        let denoiser = try ModelBundle.trainedDenoiser(try TrainingCheckpoint.load(from: checkpoint), useEMA: useEMA)
        var files = [String: Data]()
        if let defaults { files[GenerationDefaults.fileName] = try json(defaults) }
        try writeFolder(folder, config: json(denoiser.config), weights: denoiser.stateDict(), files: files)
    }

    /// The video VAE of a train-vae checkpoint with its latent normalisation measured: shift and scale become the
    /// per-channel mean and standard deviation of the latents of the first `count` clips of `csv` (`frames` frames
    /// each), so the diffusion model sees unit-variance latents as STDiT3 does with the released VAE.
    public static func vae(checkpoint: String, to folder: String, csv: String, count: Int, frames: Int,
                           seed: UInt64 = 0) throws -> (shift: [Float], scale: [Float], clips: Int) {
        let vae = try ModelBundle.videoVAE(at: checkpoint)
        vae.eval()
        let clips = try Self.clips(csv: csv, count: count, frames: frames, downsample: vae.config.spatial.downsampleFactor, seed: seed)
        let channels = vae.latentChannels
        try vae.update(parameters: ["shift": Tensor.zeros([1, channels, 1, 1, 1]), "scale": Tensor.ones([1, channels, 1, 1, 1])])
        guard !clips.isEmpty else { throw OpenSoraError.invalidInput("export vae: no clips to measure the latents on") }
        var sum = [Double](repeating: 0, count: channels), squares = sum, count = 0.0
        let root = RandomKey(seed: seed)
        for (i, clip) in clips.enumerated() {
            let z = try vae.encode(clip, key: root.child(i)).transposed(1, 0, 2, 3, 4).reshaped([channels, -1])
            let values: [Float] = try z.toArray()
            let n = values.count / channels
            for c in 0..<channels {
                for v in values[(c * n)..<((c + 1) * n)] {
                    sum[c] += Double(v)
                    squares[c] += Double(v) * Double(v)
                }
            }
            count += Double(n)
        }
        let shift = sum.map { Float($0 / count) }
        let scale = zip(sum, squares).map { s, q in Float(max(q / count - (s / count) * (s / count), 1e-12).squareRoot()) }
        var config = vae.config
        config.shift = shift
        config.scale = scale
        try vae.update(parameters: ["shift": Tensor(shift, shape: [1, channels, 1, 1, 1]), "scale": Tensor(scale, shape: [1, channels, 1, 1, 1])])
        try writeFolder(folder, config: json(config), weights: vae.stateDict())
        return (shift, scale, clips.count)
    }
}

extension ModelExport {
    /// The first `count` readable clips of a dataset CSV, `frames` frames each at the rows' own size (centre crop to a
    /// multiple of the VAE's downsampling), as pixels [1, 3, T, H, W] in [−1, 1].
    static func clips(csv: String, count: Int, frames: Int, downsample factor: Int, seed: UInt64) throws -> [Tensor] {
        let table = try DatasetTable(contentsOf: csv)
        let dataset = try TrainingDataset(table: table, transform: .centre)
        var out = [Tensor]()
        for (i, row) in table.rows.enumerated() where out.count < count {
            let size = VideoSize(height: row.height / factor * factor, width: row.width / factor * factor)
            var random = NumPyRandom(seed: seed &+ UInt64(i))
            guard case .success(let s) = dataset.sample(row: i, shape: BucketShape(frameCount: frames, size: size), random: &random) else { continue }
            out.append(Tensor(s.pixels, shape: [1, 3, s.frameIndices.count, s.height, s.width]))
        }
        return out
    }
}
