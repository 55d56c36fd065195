import ArgumentParser
import Foundation
import OpenSora
import OpenSoraTraining

extension SyntheticShapes.Split: ExpressibleByArgument {}

/// `opensora data synth-shapes`: the default model's data (docs/default-model.md).
struct SynthShapesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth-shapes",
        abstract: "Write moving-shape clips (MP4) and their Open-Sora CSV: 'a {color} {shape} moving {direction}'.",
        discussion: """
        Each clip: one filled shape on black moving in a straight line at constant speed, fully inside the frame.
        --split training draws the 72 training combinations, held-out the 12 the default model never sees, all every one.
        Clips already in the folder are kept (an interrupted run continues); the CSV (DIR/shapes.csv) is written last.

        Example:
          opensora data synth-shapes --out data/shapes --count 2000 --seed 1
        """)

    @Option(help: "Output folder (clips/ and shapes.csv).")
    var out: String

    @Option(help: "Number of clips.")
    var count: Int

    @Option(help: "Seed of the clips' geometry.")
    var seed: UInt64 = 0

    @Option(help: "Combinations: training, held-out or all.")
    var split = SyntheticShapes.Split.training

    @Option(help: "Frame side in pixels (square frames, at least 64).")
    var size = 64

    @Option(help: "Frames per clip (at least 17).")
    var numFrames = 17

    @Option(help: "Frame rate.")
    var fps = 8

    func run() throws {
        let format = ShapeClipFormat(size: VideoSize(height: size, width: size), frameCount: numFrames, fps: fps)
        var last = Date.distantPast
        let csv = try SyntheticShapes.write(to: out, count: count, seed: seed, split: split, format: format) { done in
            if done == count || Date().timeIntervalSince(last) > 2 {
                last = Date()
                FileHandle.standardError.write(Data("\rsynth-shapes: \(done)/\(count) clips".utf8))
            }
        }
        FileHandle.standardError.write(Data("\n".utf8))
        print(csv)
    }
}
