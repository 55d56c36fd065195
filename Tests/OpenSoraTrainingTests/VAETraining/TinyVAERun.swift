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
        var rows = ["path,text,num_frames,height,width"]
        let size = VideoSize(height: 24, width: 32)
        for i in 0..<videos {
            try clips.video("v\(i).mkv", frames: frames, size: size) { f, y, x, c in
                let left = (2 * f + 5 * i) % 24
                let inside = x >= left && x < left + 8 && y >= 8 && y < 16
                return inside ? UInt8([220, 40 + 50 * i, 60][c]) : 16
            }
            rows.append("v\(i).mkv,a square number \(i),\(frames),24,32")
        }
        for i in 0..<images {
            try clips.image("i\(i).png", size: size) { y, x, c in UInt8((x * (i + 3) + y * 5 + c * 60) % 256) }
            rows.append("i\(i).png,a still pattern number \(i),1,24,32")
        }
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
