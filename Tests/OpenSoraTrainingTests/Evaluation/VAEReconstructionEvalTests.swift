import Foundation
import MLXTensor
@testable import OpenSora
@testable import OpenSoraTraining
import XCTest

/// The VAE reconstruction evaluation: closed-form PSNR for a known distortion, the report a tiny VAE
/// produces end to end, and the errors a user can cause.
final class VAEReconstructionEvalTests: XCTestCase {
    let size = VideoSize(height: 32, width: 32)

    /// A CSV of `rows` (name, frames) in `clips`' folder, each a lossless clip of a smooth pattern in [40, 200].
    func table(_ clips: ClipFolder, _ rows: [(String, Int)]) throws -> DatasetTable {
        var csv = "path,text,num_frames,height,width\n"
        for (name, frames) in rows {
            if frames > 0 {
                try clips.video(name, frames: frames, size: size) { f, y, x, c in UInt8(40 + (f * 7 + y * 3 + x * 2 + c * 11) % 161) }
            }
            csv += "\(name),a clip,\(max(frames, 1)),\(size.height),\(size.width)\n"
        }
        let path = clips.file("data.csv")
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return try DatasetTable(contentsOf: path)
    }

    func settings(_ frames: Int) -> VAEReconstructionReport.Settings {
        VAEReconstructionReport.Settings(data: "data.csv", checkpoint: "test", numFrames: frames, height: size.height, width: size.width,
                                         microFrameSize: 17, seed: 42)
    }

    /// x + a ±k/255 checkerboard (in [0, 1] units) has mse = (k/255)² in every frame, so PSNR = 20·log10(255/k).
    func testAKnownDistortionGivesTheClosedFormPSNR() throws {
        let clips = try ClipFolder()
        let evaluation = try VAEReconstructionEval(dataset: try TrainingDataset(table: try table(clips, [("a.mkv", 9)]), transform: .centre),
                                                   shape: BucketShape(frameCount: 5, size: size))
        let k = 3
        let noisy: VAEReconstructionEval.Reconstruction = { pixels, _ in
            let (t, h, w) = (pixels.dim(2), pixels.dim(3), pixels.dim(4))
            var pattern = [Float]()
            for _ in 0..<3 { for f in 0..<t { for y in 0..<h { for x in 0..<w { pattern.append((f + y + x) % 2 == 0 ? 1 : -1) } } } }
            // In [−1, 1] units a step of k/255 is 2k/255; the pattern stays in range (values are 40…200).
            return pixels + Tensor(pattern, shape: pixels.shape) * Float(2 * k) / 255
        }
        let report = try evaluation.run(settings: settings(5), reconstruct: noisy)
        let expected = 10 * log10(1 / pow(Double(k) / 255, 2))
        XCTAssertEqual(report.clips.count, 1)
        XCTAssertEqual(report.clips[0].psnrPerFrame.count, 5)
        for value in report.clips[0].psnrPerFrame { XCTAssertEqual(value, expected, accuracy: 1e-3) }
        XCTAssertEqual(report.psnr, expected, accuracy: 1e-3)
        XCTAssertTrue((0.0..<1.0).contains(report.ssim), "\(report.ssim)")

        let identity = try evaluation.run(settings: settings(5), reconstruct: { pixels, _ in pixels })
        XCTAssertEqual(identity.psnr, 100)  // the reference's cap for mse < 1e-10
        XCTAssertEqual(identity.ssim, 1, accuracy: 1e-9)
    }

    func testATinyVAEWritesAReportWithEveryClipAndTheSkippedRow() throws {
        let clips = try ClipFolder()
        let data = try table(clips, [("a.mkv", 12), ("missing.mkv", 0), ("b.mkv", 10)])
        let evaluation = try VAEReconstructionEval(dataset: try TrainingDataset(table: data, transform: .centre), shape: BucketShape(frameCount: 9, size: size))
        let vae = try VideoVAE(.tiny, key: RandomKey(seed: 7))
        var seen = [Int]()
        let report = try evaluation.run(settings: settings(9), reconstruct: VAEReconstructionEval.autoencode(vae), onClip: { result in
            seen.append(result.clip.row)
            XCTAssertEqual(result.original.count, 9)
            let pair = VAEReconstructionEval.sideBySide(result.original, result.reconstruction)
            XCTAssertEqual(pair.size, VideoSize(height: 32, width: 64))
            XCTAssertEqual(Array(pair.rgb[0..<96]), Array(result.original.rgb[0..<96]), "the original is on the left")
            XCTAssertEqual(Array(pair.rgb[96..<192]), Array(result.reconstruction.rgb[0..<96]))
        })
        XCTAssertEqual(seen, [0, 2])
        let out = clips.file("metrics.json")
        try report.write(to: out)

        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        XCTAssertEqual(Set(json.keys), ["settings", "clips", "skipped", "psnr", "ssim"])
        let perClip = try XCTUnwrap(json["clips"] as? [[String: Any]])
        XCTAssertEqual(perClip.count, 2)
        for clip in perClip {
            XCTAssertEqual((clip["psnr_per_frame"] as? [Double])?.count, 9)
            XCTAssertEqual((clip["ssim_per_frame"] as? [Double])?.count, 9)
            XCTAssertEqual((clip["frame_indices"] as? [Int])?.count, 9)
            for key in ["psnr", "ssim"] { XCTAssertTrue((clip[key] as? Double)?.isFinite ?? false, "\(key): \(clip)") }
        }
        let skipped = try XCTUnwrap(json["skipped"] as? [[String: Any]])
        XCTAssertEqual(skipped.count, 1)
        XCTAssertEqual(skipped.first?["row"] as? Int, 1)
        let psnr = try XCTUnwrap(json["psnr"] as? Double), ssim = try XCTUnwrap(json["ssim"] as? Double)
        XCTAssertTrue(psnr.isFinite && psnr > 0 && psnr < 100, "\(psnr)")
        XCTAssertTrue(ssim.isFinite && ssim > -1 && ssim < 1, "\(ssim)")
        XCTAssertEqual((json["settings"] as? [String: Any])?["num_frames"] as? Int, 9)
        XCTAssertEqual(try JSONDecoder().decode(VAEReconstructionReport.self, from: Data(contentsOf: URL(fileURLWithPath: out))), report)

        // Seeded: the same run gives the same numbers.
        let again = try evaluation.run(settings: settings(9), reconstruct: VAEReconstructionEval.autoencode(vae))
        XCTAssertEqual(again, report)
    }

    func testUserMistakesAreTypedErrorsNamingTheValue() throws {
        XCTAssertThrowsError(try DatasetTable(contentsOf: "/nonexistent/clips.csv")) { error in
            guard case DatasetError.unreadable(let path, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "/nonexistent/clips.csv")
            XCTAssertTrue("\(error)".contains("/nonexistent/clips.csv"))
        }
        let clips = try ClipFolder()
        let onlyMissing = try TrainingDataset(table: try table(clips, [("gone.mkv", 0)]))
        let evaluation = try VAEReconstructionEval(dataset: onlyMissing, shape: BucketShape(frameCount: 5, size: size))
        XCTAssertThrowsError(try evaluation.run(settings: settings(5), reconstruct: { p, _ in p })) { error in
            XCTAssertTrue("\(error)".contains("none of the 1 rows"), "\(error)")
            XCTAssertTrue("\(error)".contains("gone.mkv"), "\(error)")
        }
        let wrongShape = try VAEReconstructionEval(dataset: try TrainingDataset(table: try table(clips, [("a.mkv", 5)])),
                                                   shape: BucketShape(frameCount: 5, size: size))
        XCTAssertThrowsError(try wrongShape.run(settings: settings(5), reconstruct: { p, _ in p[.all, .all, 0..<4] })) { error in
            XCTAssertTrue("\(error)".contains("expected [1, 3, 5, 32, 32]"), "\(error)")
        }
        XCTAssertThrowsError(try VAEReconstructionEval(dataset: onlyMissing, shape: BucketShape(frameCount: 5, size: VideoSize(height: 8, width: 8))))
    }
}
