import Foundation
import MLXTensor
@testable import OpenSora
import XCTest

/// The engine a server drives: values out of stages, events in order, cancellation at the next step,
/// the text-encoder policy, and refusals before any work (memory, non-finite latents).
final class GenerationEngineTests: XCTestCase {
    func request(frames: Int = 17, steps: Int = 2) -> GenerationRequest {
        var r = GenerationRequest(prompts: ["a red square"])
        r.size = VideoSize(height: 64, width: 64)
        r.numFrames = frames
        r.steps = steps
        return r
    }

    func testEventsArriveInDataFlowOrderAndVideosAreValues() throws {
        let engine = GenerationEngine(container: ModelContainer(models: try ModelBundle.tinyRandom()))
        var events = [String]()
        var videos = [GenerationEngine.GeneratedVideo]()
        try engine.generate(request(), onEvent: { event in
            switch event {
            case .stage(let s): events.append("stage \(s)")
            case .step(let i, let n, let elapsed):
                XCTAssertGreaterThanOrEqual(elapsed, 0)
                events.append("step \(i)/\(n)")
            case .video(let i): events.append("video \(i)")
            }
            return .proceed
        }, deliver: { videos.append($0) })
        XCTAssertEqual(events, ["stage encoding text", "stage sampling", "step 1/2", "step 2/2", "stage decoding", "video 0"])
        XCTAssertEqual(videos.count, 1)
        XCTAssertEqual(videos[0].frames.count, 17)
        XCTAssertEqual(videos[0].frames.size, VideoSize(height: 64, width: 64))
        XCTAssertEqual(videos[0].prepared.loopTexts, ["a red square aesthetic score: 6.5."])
    }

    func testCancelStopsAtTheNextStepAndDeliversNothing() throws {
        let engine = GenerationEngine(container: ModelContainer(models: try ModelBundle.tinyRandom()))
        var steps = 0, delivered = 0
        XCTAssertThrowsError(try engine.generate(request(steps: 5), onEvent: { event in
            if case .step = event { steps += 1; return .cancel }
            return .proceed
        }, deliver: { _ in delivered += 1 })) { error in
            XCTAssertEqual((error as? GenerationCancelled)?.stage, .sampling(loop: 0), "\(error)")
        }
        XCTAssertEqual(steps, 1, "no step runs after the cancel")
        XCTAssertEqual(delivered, 0)
    }

    func testTheTextEncoderPolicyDecidesWhetherT5StaysLoaded() throws {
        let models = try ModelBundle.tinyRandom()
        let keep = ModelContainer(models: models, policy: .keepLoaded), release = ModelContainer(models: models, policy: .releaseAfterEncoding)
        for container in [keep, release] {
            try GenerationEngine(container: container).generate(request(frames: 1, steps: 1), deliver: { _ in })
        }
        XCTAssertTrue(keep.textEncoderLoaded)
        XCTAssertFalse(release.textEncoderLoaded)
    }

    /// Reference latents are encoded once per prompt, however many samples are drawn from them.
    func testReferencesAreEncodedOncePerPrompt() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let size = VideoSize(height: 64, width: 64)
        let ref = dir.appendingPathComponent("ref").path
        let path = try VideoWriter.write(VideoFrames(count: 1, size: size, rgb: [UInt8](repeating: 200, count: 64 * 64 * 3)), to: ref, format: .mp4, fps: 1)
        var r = request(frames: 1, steps: 1)
        r.sampleCount = 3
        r.referencePaths = [path]
        r.maskStrategies = [try MaskStrategy(parsing: "0")]
        var referenceStages = 0, videos = 0
        try GenerationEngine(container: ModelContainer(models: try ModelBundle.tinyRandom())).generate(r, onEvent: {
            if case .stage(.encodingReferences) = $0 { referenceStages += 1 }
            return .proceed
        }, deliver: { _ in videos += 1 })
        XCTAssertEqual(referenceStages, 1)
        XCTAssertEqual(videos, 3)
    }

    func testNonFiniteLatentsAreAnErrorNotABlackVideo() throws {
        let models = try ModelBundle.tinyRandom()
        let name = "final_layer.linear.bias"
        guard let bias = models.denoiser.namedParameters().first(where: { $0.0 == name })?.1 else { return XCTFail("no \(name)") }
        try models.denoiser.update(parameters: [name: bias * Float.nan])
        var delivered = 0
        XCTAssertThrowsError(try GenerationEngine(container: ModelContainer(models: models)).generate(request(frames: 1, steps: 1),
                                                                                                       deliver: { _ in delivered += 1 })) {
            XCTAssertTrue("\($0)".contains("non-finite latents"), "\($0)")
        }
        XCTAssertEqual(delivered, 0)
    }

    func testARequestThatCannotFitIsRefusedWithTheEstimate() throws {
        let models = try ModelBundle.tinyRandom()
        var r = request()
        r.numFrames = 10_000
        r.size = VideoSize(height: 720, width: 1280)
        let estimate = MemoryEstimate.generation(r, models: models)
        XCTAssertGreaterThan(estimate.frames, 50 << 30, "10 000 frames of 720p RGB held twice")
        XCTAssertThrowsError(try estimate.check(limit: (24 << 30, "test limit"))) {
            XCTAssertTrue("\($0)".contains("this request needs about"), "\($0)")
            XCTAssertTrue("\($0)".contains("24.00 GB allowed (test limit)"), "\($0)")
        }
        XCTAssertThrowsError(try GenerationEngine(container: ModelContainer(models: models)).generate(r, deliver: { _ in })) {
            XCTAssertTrue("\($0)".contains("this request needs about"), "\($0)")
        }
        XCTAssertEqual(MemoryEstimate.parseBytes("24G"), 24 << 30)
        XCTAssertEqual(MemoryEstimate.parseBytes("512MiB"), nil)
        XCTAssertEqual(MemoryEstimate.parseBytes("1.5k"), 1536)
    }

    /// The estimate bounds what MLX really allocates for a small request (it may overestimate, not under).
    func testTheEstimateBoundsTheMeasuredPeak() throws {
        let models = try ModelBundle.tinyRandom()
        let r = request(frames: 17, steps: 1)
        Runtime.resetPeakMemory()
        let before = Runtime.activeMemory
        try GenerationEngine(container: ModelContainer(models: models)).generate(r, deliver: { _ in })
        let measured = Runtime.peakMemory - before
        let estimate = MemoryEstimate.generation(r, models: models)
        XCTAssertGreaterThan(measured, 0)
        XCTAssertGreaterThanOrEqual(estimate.peak, measured, "estimate \(estimate) vs measured \(measured) bytes")
    }
}
