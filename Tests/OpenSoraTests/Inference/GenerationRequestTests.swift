import Foundation
@testable import OpenSora
import XCTest

/// Requests arrive as JSON (sidecars, a server): every field is validated in one place, and no
/// value — decoded, validated or not — can trap the planner.
final class GenerationRequestTests: XCTestCase {
    func base() -> GenerationRequest {
        var r = GenerationRequest(prompts: ["a cat"])
        r.size = VideoSize(height: 64, width: 64)
        r.numFrames = 17
        return r
    }

    func assertRejected(_ edit: (inout GenerationRequest) -> Void, _ message: String, line: UInt = #line) {
        var r = base()
        edit(&r)
        XCTAssertThrowsError(try r.validate(), line: line) { XCTAssertTrue("\($0)".contains(message), "\($0)", line: line) }
    }

    func testEveryFieldIsRangeChecked() throws {
        XCTAssertNoThrow(try base().validate())
        assertRejected({ $0.align = 0 }, "align 0 is out of range")  // used to trap in MaskStrategy.snap (Int(inf))
        assertRejected({ $0.align = -3 }, "align -3")
        assertRejected({ $0.numFrames = 1_000_000 }, "num_frames 1000000 is out of range; accepted: 1...10000")
        assertRejected({ $0.size = VideoSize(height: 64, width: 100_000) }, "image width 100000")
        assertRejected({ $0.steps = 0 }, "num_sampling_steps 0")
        assertRejected({ $0.fps = -1 }, "fps -1")
        assertRejected({ $0.guidanceScale = .nan }, "cfg_scale nan must be a finite number")
        assertRejected({ $0.aesthetic = .infinity }, "aes inf must be a finite number")
        assertRejected({ $0.loops = 0 }, "loop 0")
        assertRejected({ $0.conditionFrameEdit = 2 }, "condition_frame_edit 2.0")
        assertRejected({ $0.batchSize = 0 }, "batch_size 0")
        assertRejected({ $0.startIndex = -1 }, "start_index -1")
        assertRejected({ $0.sampleName = "../escape" }, "sample_name '../escape'")
        assertRejected({ $0.prompts = [String(repeating: "x", count: (1 << 20) + 1)] }, "prompt 0 has 1048577 bytes")
        assertRejected({ $0.maskStrategies = [MaskStrategy([MaskCondition(targetStart: Int.max)])] }, "target_start \(Int.max) is out of range")
        XCTAssertThrowsError(try MaskStrategy(parsing: "0,0,9223372036854775807")) { XCTAssertTrue("\($0)".contains("ref_start"), "\($0)") }
    }

    func testMissingKeysTakeTheDefaultsAndWrongTypesAreDecodingErrors() throws {
        let r = try JSONDecoder().decode(GenerationRequest.self, from: Data(#"{"prompts": ["a dog"], "numFrames": 1, "align": null}"#.utf8))
        XCTAssertEqual(r.numFrames, 1)
        XCTAssertNil(r.align)
        XCTAssertEqual(r.steps, 30)
        XCTAssertEqual(r.aesthetic, 6.5)
        XCTAssertThrowsError(try JSONDecoder().decode(GenerationRequest.self, from: Data(#"{"prompts": ["a"], "steps": "many"}"#.utf8)))
        let minimal = try JSONSerialization.data(withJSONObject: ["prompts": ["a cat"], "fps": 12] as [String: Any])
        XCTAssertEqual(try JSONDecoder().decode(GenerationRequest.self, from: minimal).fps, 12)
        XCTAssertThrowsError(try JSONDecoder().decode(GenerationRequest.self, from: Data(#"{"prompts": ["a"], "maskStrategies": ["0,x"]}"#.utf8)))
        // The sidecar form round-trips.
        var full = base()
        full.maskStrategies = [try MaskStrategy(parsing: "0,0,0,0,1,0.5;1,0,-5,0,5")]
        full.cameraMotion = .panLeft
        let again = try JSONDecoder().decode(GenerationRequest.self, from: JSONEncoder().encode(full))
        XCTAssertEqual(again, full)
    }

    /// A model's `generation_config.json` can turn the sampler's timestep shift off (a model trained without it);
    /// absent, the reference's shift stays on.
    func testTheModelsDefaultsDecideTheTimestepTransform() throws {
        let off = try JSONDecoder().decode(GenerationDefaults.self, from: Data(#"{"num_frames": 17, "use_timestep_transform": false}"#.utf8))
        var request = base()
        try GenerationSettings().apply(to: &request, defaults: off)
        XCTAssertFalse(request.timestepTransform)
        XCTAssertEqual(request.numFrames, 17)
        try GenerationSettings().apply(to: &request, defaults: GenerationDefaults())
        XCTAssertTrue(request.timestepTransform)
        XCTAssertEqual(request.transformScale, 1)
        let scaled = try JSONDecoder().decode(GenerationDefaults.self, from: Data(#"{"transform_scale": 10}"#.utf8))
        try GenerationSettings().apply(to: &request, defaults: scaled)
        XCTAssertEqual(request.transformScale, 10)
        XCTAssertNoThrow(try request.validate())
        request.transformScale = 0
        XCTAssertThrowsError(try request.validate()) { XCTAssertEqual(($0 as? InvalidSetting)?.field, "transform_scale") }
        XCTAssertThrowsError(try JSONDecoder().decode(GenerationDefaults.self, from: Data(#"{"use_timestep_transform": "no"}"#.utf8)))
        let sidecar = try JSONDecoder().decode(GenerationRequest.self, from: Data(#"{"prompts": ["a"], "timestepTransform": false}"#.utf8))
        XCTAssertFalse(sidecar.timestepTransform)
    }

    /// Random JSON of every shape: decoding, validation, memory planning, prompt preparation and mask
    /// planning either succeed or throw; none traps (a trap would kill the test process).
    func testRandomJSONNeverTraps() throws {
        var rng = SplitMix(seed: 20261201)
        let models = try ModelBundle.tinyRandom()
        let engine = GenerationEngine(container: ModelContainer(models: models))
        let keys = ["prompts", "size", "numFrames", "fps", "saveFPS", "seed", "steps", "guidanceScale", "aesthetic", "motion",
                    "cameraMotion", "referencePaths", "maskStrategies", "loops", "conditionFrameLength", "conditionFrameEdit",
                    "align", "batchSize", "sampleCount", "startIndex", "saveDirectory", "sampleName", "promptAsPath", "format"]
        var decoded = 0, valid = 0
        for _ in 0..<3000 {
            var object = [String: Any]()
            for key in keys where rng.next() % 10 < 3 { object[key] = randomValue(&rng, key: key) }
            if rng.next() % 4 != 0 { object["prompts"] = [randomPrompt(&rng)] }
            guard let data = try? JSONSerialization.data(withJSONObject: object),
                  let request = try? JSONDecoder().decode(GenerationRequest.self, from: data) else { continue }
            decoded += 1
            guard (try? request.validate()) != nil else { continue }
            valid += 1
            _ = MemoryEstimate.generation(request, models: models).peak
            guard let prompts = try? engine.prepare(request) else { continue }
            for p in prompts {
                _ = try? p.maskStrategy.plan(latentFrames: Int(rng.next() % 40), referenceLengths: [Int(rng.next() % 20)],
                                             loop: Int(rng.next() % 3), align: request.align)
            }
        }
        XCTAssertGreaterThan(decoded, 300, "the generator must reach the decoder")
        XCTAssertGreaterThan(valid, 30, "and produce valid requests")
    }

    /// Mostly a value of the key's type from a wide range (edges, huge, negative), sometimes garbage.
    func randomValue(_ rng: inout SplitMix, key: String) -> Any {
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
        let ints: [Int] = [0, 1, -1, 2, 5, 17, 34, 51, 1000, 10_000, 10_001, Int(Int32.max), Int.max, Int.min, -5]
        let doubles: [Double] = [0, 0.5, 1, -1, 6.5, 1e308, -1e308, 1e-300, 2]
        let strategies = ["", "0", "0,0,0,0,1,0", "1,0,-5,0,5;0", "0,0,0,0,1,0.5", "0,0,99999999999", "x", "0,-1", "3,7,-100,-100,100,1"]
        if rng.next() % 10 == 0 { return pick([NSNull(), "text", true, [1, 2], ["a": 1]] as [Any]) }
        switch key {
        case "size": return ["height": pick([8, 64, 0, -8, 8192, 100_000, Int.max]), "width": pick([8, 64, 7, 8193, Int.min])]
        case "seed": return pick([0, 1, 42, Int.max])
        case "guidanceScale", "aesthetic", "motion", "conditionFrameEdit": return pick(doubles)
        case "cameraMotion": return pick(["pan left", "zoom in", "static", "spin"])
        case "referencePaths": return [pick(["", "a.png", "a.png;b.mp4"])]
        case "maskStrategies": return [pick(strategies)]
        case "saveDirectory": return pick(["out", "", "/tmp/x"])
        case "sampleName": return pick(["s", "", "a/b", "..", String(repeating: "n", count: 300)])
        case "promptAsPath": return rng.next() % 2 == 0
        case "format": return pick(["mp4", "png", "gif", "avi"])
        case "align": return pick([NSNull(), 0, 1, 5, -3, Int.max] as [Any])
        default: return pick(ints)
        }
    }

    func randomPrompt(_ rng: inout SplitMix) -> String {
        let pieces = ["a cat", "|0|a|1|b", "{\"mask_strategy\": \"0\"}", "{\"reference_path\": \"x.png\"}", "|5|late", "http://x.com/a?b", "{", "}"]
        return (0..<(1 + Int(rng.next() % 3))).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined(separator: " ")
    }
}

/// A small deterministic generator for property tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Score markers are found by code point, as Python's `in` finds them.
final class PromptScoreMarkerTests: XCTestCase {
    func testAMarkerFollowedByACombiningMarkStillCounts() {
        // "aesthetic score:" then U+0301: one grapheme ":\u{301}" for String.contains, two code points for Python.
        let prompt = "a cat aesthetic score:\u{301} 5"
        XCTAssertEqual(PromptText.appendingScores(prompt, aesthetic: 6.5, motion: nil, cameraMotion: nil), prompt)
        XCTAssertEqual(PromptText.appendingScores("a cat", aesthetic: 6.5, motion: 2, cameraMotion: "pan left"),
                       "a cat aesthetic score: 6.5. motion score: 2.0. camera motion: pan left.")
    }
}
