import Foundation
import OpenSora
@testable import OpenSoraTraining

/// A tiny diffusion run on generated clips: moving squares (17+ frames at 256×144) or still images, a CSV and a
/// config of the tiny STDiT3, VAE and T5.
final class TinyDiffusionRun {
    let clips: ClipFolder
    let csv: String
    let outputs: String

    /// `videos` moving-square clips of `frames` frames, `images` stills, plus `extraRows` (raw CSV lines).
    init(videos: Int = 0, images: Int = 0, frames: Int = 20, extraRows: [String] = []) throws {
        clips = try ClipFolder()
        let size = VideoSize(height: 144, width: 256)
        var rows = ["path,text,num_frames,height,width"]
        rows += try clips.movingSquares(videos, frames: frames, size: size, side: 48, speed: 8)
        rows += try clips.stills(images, size: size)
        rows += extraRows
        csv = clips.file("data.csv")
        try Data((rows.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: csv))
        outputs = clips.file("outputs")
    }

    /// The run config; `buckets` is a bucket_config literal, `extra` more YAML lines.
    func config(buckets: String = #"{"144p": {1: [1.0, 2]}}"#, steps: Int = 4, extra: String = "") throws -> TrainingConfig {
        try TrainingConfig(yaml: """
            trainer: diffusion
            dataset: {type: VariableVideoTextDataset, data_path: \(csv), transform_name: resize_crop}
            bucket_config: \(buckets)
            model: {type: STDiT3-tiny}
            vae: {type: tiny}
            text_encoder: {type: tiny, model_max_length: 16}
            scheduler: {type: rflow, use_timestep_transform: true, sample_method: logit-normal}
            dtype: fp32
            optimizer: {lr: 1.0e-3, eps: 1.0e-15}
            grad_clip: 1.0
            ema_decay: 0.99
            epochs: 1000
            max_steps: \(steps)
            num_workers: 1
            seed: 42
            outputs: \(outputs)
            \(extra)
            """)
    }

    func experiment(_ name: String) -> String { clips.file(name) }
}
