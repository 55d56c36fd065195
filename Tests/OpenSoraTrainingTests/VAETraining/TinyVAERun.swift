import Foundation
import OpenSora
@testable import OpenSoraTraining

/// A tiny VAE run on generated clips: moving squares (lossless, 24×32, cropped to 16×16 by the center transform)
/// and still images, a CSV, and a vae_stageN preset switched to the tiny pipeline in fp32.
final class TinyVAERun: @unchecked Sendable {
    let clips: ClipFolder
    let csv: String
    let outputs: String

    init(videos: Int = 3, images: Int = 1, frames: Int = 12) throws {
        clips = try ClipFolder()
        let size = VideoSize(height: 24, width: 32)
        var rows = ["path,text,num_frames,height,width"]
        rows += try clips.movingSquares(videos, frames: frames, size: size, side: 8, speed: 2)
        rows += try clips.stills(images, size: size)
        csv = clips.file("data.csv")
        try Data((rows.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: csv))
        outputs = clips.file("outputs")
    }

    /// `preset` with the tiny pipeline, 5-frame 16×16 clips, batch size 2, fp32 and `extra` overrides (`key=value`).
    func config(_ preset: String = "vae_stage1", steps: Int = 4, extra: [String] = []) throws -> TrainingConfig {
        let base = [
            "model.type=VideoAutoencoderPipeline-tiny", "model.from_pretrained=null", "model.vae_2d.from_pretrained=null", "dataset.data_path=\(csv)",
            "dataset.num_frames=5", "dataset.image_size=[16, 16]", "dtype=fp32", "batch_size=2", "num_workers=0",
            "optimizer.lr=1.0e-3", "max_steps=\(steps)", "ckpt_every=0", "outputs=\(outputs)",
        ]
        return try TrainingConfig.preset(preset, overrides: (base + extra).map(ConfigOverride.init(parsing:)))
    }

    func experiment(_ name: String) -> String { clips.file(name) }
}
