// Reference: shared/fixtures/parity/README.md ("Tolerances"): numpy's allclose rule.
import OpenSora
import Foundation
import MLXTensor

/// What a runner produced for one fixture.
public enum ParityResult {
    /// Outputs named like the fixture's `out.*` (without the prefix); the harness compares them.
    case tensors([String: Tensor])
    /// The runner compared by itself (exact-match kinds such as tokenizer ids): worst error and verdict.
    case checked(maxAbsError: Double, passed: Bool, detail: String)
}

/// Computes a fixture's outputs with this project's code.
public protocol ParityRunner {
    func run(_ fixture: ParityFixture) throws -> ParityResult
}

/// The verdict for one fixture, printed as one line.
public struct ParityOutcome {
    public enum Status: String { case ok, FAIL, unsupported }
    public let file: String
    public let kind: String
    public let status: Status
    public let maxAbsError: Double
    public let tolerance: Double
    public let detail: String

    /// `parity <full path> max_abs_err=<value> tol=<atol> ok|FAIL|unsupported`
    public var line: String {
        let base = "parity \(file) max_abs_err=\(String(format: "%.3g", maxAbsError)) tol=\(tolerance) \(status.rawValue)"
        return detail.isEmpty ? base : "\(base) (\(detail))"
    }
}

/// Runs fixtures through the runners registered for their kinds.
public struct ParityHarness {
    public var runners: [String: ParityRunner]

    public init(runners: [String: ParityRunner] = ParityRunners.all) {
        self.runners = runners
    }

    public func run(_ url: URL) -> ParityOutcome {
        let kind = ParityFixture.kindFromName(url)
        do {
            let fixture = try ParityFixture.load(url)
            guard let runner = runners[fixture.kind] else {
                return ParityOutcome(file: url.path, kind: fixture.kind, status: .unsupported, maxAbsError: .nan,
                                     tolerance: fixture.atol, detail: "")
            }
            switch try runner.run(fixture) {
            case .checked(let err, let passed, let detail):
                return ParityOutcome(file: url.path, kind: fixture.kind, status: passed ? .ok : .FAIL, maxAbsError: err,
                                     tolerance: fixture.atol, detail: detail)
            case .tensors(let outputs):
                return try compare(outputs, fixture)
            }
        } catch {
            return ParityOutcome(file: url.path, kind: kind, status: .FAIL, maxAbsError: .nan, tolerance: 0, detail: "\(error)")
        }
    }

    func compare(_ outputs: [String: Tensor], _ fixture: ParityFixture) throws -> ParityOutcome {
        let (worst, problems) = try ParityHarness.differences(outputs, fixture)
        return ParityOutcome(file: fixture.url.path, kind: fixture.kind, status: problems.isEmpty ? .ok : .FAIL,
                             maxAbsError: worst, tolerance: fixture.atol, detail: problems.joined(separator: "; "))
    }

    /// Every expected output must be produced, have the expected shape, and satisfy
    /// |got − want| ≤ atol + rtol·|want| element-wise (NaN only where NaN is expected).
    /// Returns the largest absolute error and the problems found.
    static func differences(_ outputs: [String: Tensor], _ fixture: ParityFixture) throws -> (Double, [String]) {
        var worst = 0.0, problems = [String]()
        for (name, want) in fixture.expectedOutputs.sorted(by: { $0.key < $1.key }) {
            guard let got = outputs[name] else {
                problems.append("no output \(name)")
                continue
            }
            guard got.shape == want.shape else {
                problems.append("\(name) shape \(got.shape) != \(want.shape)")
                continue
            }
            let g = try got.asType(.float32).toArray(), w = try want.asType(.float32).toArray()
            var bad = 0
            for i in g.indices {
                let a = Double(g[i]), b = Double(w[i])
                if a.isNaN || b.isNaN {
                    if a.isNaN != b.isNaN { bad += 1; worst = .infinity }
                    continue
                }
                let err = Swift.abs(a - b)
                worst = Swift.max(worst, err)
                if err > fixture.atol + fixture.rtol * Swift.abs(b) { bad += 1 }
            }
            if bad > 0 { problems.append("\(name): \(bad) of \(g.count) elements outside tolerance") }
        }
        return (worst, problems)
    }
}

/// The runners every model issue registers (kind → runner).
public enum ParityRunners {
    public static var all: [String: ParityRunner] {
        [
            "stdit3.forward": STDiT3ForwardRunner(),
            "stdit3.layers": STDiT3LayersRunner(),
            "vae_spatial.encode": SpatialVAERunner(decode: false),
            "vae_spatial.decode": SpatialVAERunner(decode: true),
            "vae_temporal.encode": TemporalVAERunner(decode: false),
            "vae_temporal.decode": TemporalVAERunner(decode: true),
            "vae_pipeline.encode": VideoVAERunner(decode: false),
            "vae_pipeline.decode": VideoVAERunner(decode: true),
            "vae.training_loss": VAETrainingLossRunner(),
            "eval.psnr_ssim": PSNRSSIMRunner(),
            "tokenizer.t5": T5TokenizerRunner(),
            "t5.encode": T5EncodeRunner(),
            "t5.checkpoint_bin": T5CheckpointRunner(),
            "checkpoint.layout": CheckpointLayoutRunner(),
            "rflow.timestep_transform": TimestepTransformRunner(),
            "rflow.training_loss": TrainingLossRunner(),
            "rflow.sample": SamplerRunner(),
            "inference.parsing": InferenceParsingRunner(),
            "training.bucket": TrainingBucketRunner(),
        ]
    }
}
