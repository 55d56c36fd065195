import Foundation
import MLXTensor
@testable import OpenSora
import XCTest

/// The pipeline on the tiny random-weight preset: files, sizes, conditioning, loops.
final class GenerationPipelineTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try temporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func request(_ prompts: [String], frames: Int) -> GenerationRequest {
        var r = GenerationRequest(prompts: prompts)
        r.size = try! ResolutionTable.imageSize(resolution: "144p", aspectRatio: "1:1")  // 192x192
        r.numFrames = frames
        r.steps = 2
        r.saveDirectory = dir.path
        return r
    }

    /// A reference image with a clear structure (a bright square on a dark background).
    func makeReference() throws -> String {
        let path = dir.appendingPathComponent("ref.png").path
        let size = VideoSize(height: 192, width: 192)
        var rgb = [UInt8](repeating: 20, count: 192 * 192 * 3)
        for y in 48..<144 { for x in 48..<144 { for c in 0..<3 { rgb[(y * 192 + x) * 3 + c] = c == 0 ? 230 : 60 } } }
        try VideoWriter.write(VideoFrames(count: 1, size: size, rgb: rgb), to: String(path.dropLast(4)), format: .mp4, fps: 1)
        return path
    }

    func testImageToVideoFollowsTheReference() throws {
        let models = try ModelBundle.tinyRandom()
        let pipeline = GenerationPipeline(models: models)
        let ref = try makeReference()
        var conditioned = request(["a red square"], frames: 1)
        conditioned.referencePaths = [ref]
        conditioned.maskStrategies = [try MaskStrategy(parsing: "0")]
        conditioned.sampleName = "cond"
        var free = request(["a red square"], frames: 1)
        free.sampleName = "free"
        let a = try pipeline.generate(conditioned), b = try pipeline.generate(free)
        XCTAssertTrue(a[0].hasSuffix(".png"))
        // What the VAE makes of the reference itself (same encoding key as the pipeline).
        let refFrames = try VideoReader.read(ref, size: conditioned.size)
        let latent = try models.vae.encode(refFrames.pixels().expandedDims(0), key: GenerationEngine.referenceKey(seed: 42, prompt: 0, index: 0))
        let reconstruction = try VideoFrames(pixels: try models.vae.decode(latent, numFrames: 1)[0])
        func distance(_ path: String) throws -> Double {
            let f = try VideoReader.read(path, size: conditioned.size)
            var total = 0.0
            for (a, b) in zip(f.rgb, reconstruction.rgb) { total += abs(Double(a) - Double(b)) }
            return total / Double(f.rgb.count)
        }
        let conditionedDistance = try distance(a[0]), freeDistance = try distance(b[0])
        XCTAssertLessThan(conditionedDistance, 1.0, "the frozen first frame decodes to the reference's reconstruction")
        XCTAssertGreaterThan(freeDistance, conditionedDistance + 5)
    }

    func testLoopsExtendTheVideoAndSidecarsRecordTheRequest() throws {
        var r = request(["|0|a ball rolling|1|a ball stopping"], frames: 34)
        r.loops = 2
        r.format = .mp4
        let files = try GenerationPipeline(models: try ModelBundle.tinyRandom()).generate(r)
        XCTAssertEqual(files, [dir.appendingPathComponent("sample_0000.mp4").path])
        let probe = try VideoReader.probe(files[0])
        XCTAssertEqual(probe.frames, 34 + (34 - 17))  // later loops drop the 17 frames their condition covered
        XCTAssertEqual(probe.size, VideoSize(height: 192, width: 192))
        let sidecar = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: files[0] + ".json"))) as? [String: Any]
        XCTAssertEqual(sidecar?["processedText"] as? [String], ["a ball rolling aesthetic score: 6.5.", "a ball stopping aesthetic score: 6.5."])
        XCTAssertEqual((sidecar?["request"] as? [String: Any])?["seed"] as? Int, 42)
    }

    func testBadRequestsFailBeforeWritingAnything() throws {
        let pipeline = GenerationPipeline(models: try ModelBundle.tinyRandom())
        var r = request(["x"], frames: 5)
        XCTAssertThrowsError(try pipeline.generate(r)) { XCTAssertTrue("\($0)".contains("num_frames 5"), "\($0)") }
        r.numFrames = 17
        XCTAssertThrowsError(try MaskStrategy(parsing: "0,0,0,0,1,0,1")) { XCTAssertTrue("\($0)".contains("0,0,0,0,1,0,1"), "\($0)") }
        r.maskStrategies = [try MaskStrategy(parsing: "0")]
        r.referencePaths = [dir.appendingPathComponent("missing.png").path]
        XCTAssertThrowsError(try pipeline.generate(r)) { XCTAssertTrue("\($0)".contains("missing.png"), "\($0)") }
        r.referencePaths = []
        r.maskStrategies = []
        r.saveDirectory = dir.appendingPathComponent("file.txt/sub").path
        try Data("x".utf8).write(to: dir.appendingPathComponent("file.txt"))
        XCTAssertThrowsError(try pipeline.generate(r)) { XCTAssertTrue("\($0)".contains("output directory"), "\($0)") }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0 != "file.txt" }
        XCTAssertEqual(leftovers, [])
    }
}
