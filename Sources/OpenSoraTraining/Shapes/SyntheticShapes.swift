// Added (not in the reference): `opensora data synth-shapes` (issue 15): the default model's training and held-out data.
import Foundation
import MLXTensor
import OpenSora

/// Writes synthetic moving-shape clips (H.264 MP4) and an Open-Sora CSV listing them.
public enum SyntheticShapes {
    /// Which combinations a set draws from.
    public enum Split: String, CaseIterable, Codable, Sendable {
        /// The 72 combinations the default model trains on.
        case training
        /// The 12 held-out combinations (`ShapeCaption.heldOut`).
        case heldOut = "held-out"
        /// All 84.
        case all

        public var captions: [ShapeCaption] {
            switch self {
            case .training: ShapeCaption.training
            case .heldOut: ShapeCaption.heldOut
            case .all: ShapeCaption.all
            }
        }
    }

    /// The CSV's columns, as the reference's `datautil --info` writes them.
    static let columns = ["path", "text", "num_frames", "height", "width", "aspect_ratio", "fps", "resolution"]

    /// Clip `index` of a set: captions cycle through the split so every combination appears, the geometry is drawn
    /// from (seed, index) alone, so any clip can be rebuilt without the others.
    public static func clip(_ index: Int, seed: UInt64, split: Split, format: ShapeClipFormat) -> ShapeClip {
        let captions = split.captions
        var rng = NumPyRandom(seedSequence: SeedSequence(entropyWords: [UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32),
                                                                       UInt32(truncatingIfNeeded: index), 0x5348_4150]))
        return ShapeClip.random(captions[index % captions.count], format: format, rng: &rng)
    }

    /// Writes `count` clips under `folder/clips/` and `folder/shapes.csv` (last, atomically); clips already present
    /// are kept, so an interrupted run continues. Returns the CSV's path. `progress` gets the clips done so far.
    @discardableResult
    public static func write(to folder: String, count: Int, seed: UInt64, split: Split = .training, format: ShapeClipFormat = .init(),
                             crf: Int = 12, progress: (Int) -> Void = { _ in }) throws -> String {
        guard count >= 1 else { throw OpenSoraError.invalidInput("synth-shapes: --count \(count); accepted: at least 1") }
        try format.validate()
        let clips = (folder as NSString).appendingPathComponent("clips")
        try FileManager.default.createDirectory(atPath: clips, withIntermediateDirectories: true)
        let digits = max(6, String(count - 1).count)
        let relative: @Sendable (Int) -> String = { i in "clips/" + String(repeating: "0", count: max(0, digits - String(i).count)) + "\(i).mp4" }
        // Each clip is one ffmpeg process, mostly process start-up: `lanes` at a time, in chunks so `progress` is
        // called from this thread; every clip depends on (seed, index) alone, so the order does not matter.
        let lanes = 6, failures = FirstFailure()
        for chunk in stride(from: 0, to: count, by: 4 * lanes) {
            let group = DispatchGroup(), slots = DispatchSemaphore(value: lanes)
            for i in chunk..<min(count, chunk + 4 * lanes) {
                slots.wait()
                DispatchQueue.global().async(group: group) {
                    defer { slots.signal() }
                    let path = (folder as NSString).appendingPathComponent(relative(i))
                    guard !FileManager.default.fileExists(atPath: path) else { return }
                    let frames = clip(i, seed: seed, split: split, format: format).frames()
                    do { try VideoWriter.write(frames, to: String(path.dropLast(4)), format: .mp4, fps: format.fps, crf: crf) } catch {
                        failures.record(error)
                    }
                }
            }
            group.wait()
            if let error = failures.first { throw error }
            progress(min(count, chunk + 4 * lanes))
        }
        let s = format.size, captions = split.captions
        let rows = (0..<count).map { i in
            [relative(i), captions[i % captions.count].text, "\(format.frameCount)",
             "\(s.height)", "\(s.width)", "\(Double(s.height) / Double(s.width))", "\(format.fps)", "\(s.height * s.width)"].joined(separator: ",")
        }
        let csv = (folder as NSString).appendingPathComponent("shapes.csv")
        try AtomicFile.write(Data(([columns.joined(separator: ",")] + rows).joined(separator: "\n").utf8 + [UInt8(ascii: "\n")]), to: csv)
        return csv
    }
}

/// The first error of concurrent work, kept under a lock.
final class FirstFailure: @unchecked Sendable {
    private var error: Error?
    private let lock = NSLock()

    func record(_ e: Error) { lock.withLock { if error == nil { error = e } } }
    var first: Error? { lock.withLock { error } }
}
