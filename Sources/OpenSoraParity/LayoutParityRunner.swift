// Reference: shared/fixtures/parity/README.md (checkpoint.layout).
import OpenSora
import Foundation
import MLXTensor
import NN

/// `checkpoint.layout`: each listed architecture, built from its config with lazy (never evaluated)
/// weights, must have the official state_dict entries in order, and the same totals.
struct CheckpointLayoutRunner: ParityRunner {
    func run(_ f: ParityFixture) throws -> ParityResult {
        guard let models = f.json?["models"] as? [[String: Any]] else { throw ParityError.malformed(f.name, "no models") }
        let official = try ModelLayout.fromFixture(f.url)
        var problems = [String]()
        for (object, want) in zip(models, official) {
            let module = try build(name: want.name, config: object["config"] as? [String: Any] ?? [:], fixture: f.name)
            let got = ModelLayout(name: want.name, module: module)
            if got.entries != want.entries {
                let i = zip(got.entries, want.entries).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                    ?? min(got.entries.count, want.entries.count)
                let g = i < got.entries.count ? "\(got.entries[i])" : "nothing", w = i < want.entries.count ? "\(want.entries[i])" : "nothing"
                problems.append("\(want.name): entry \(i) is \(g), official \(w)")
            }
            if let total = object["total_parameters"] as? Int, total != got.totalParameters {
                problems.append("\(want.name): \(got.totalParameters) parameters, official \(total)")
            }
        }
        return .checked(maxAbsError: Double(problems.count), passed: problems.isEmpty,
                        detail: problems.isEmpty ? "\(official.count) models identical" : problems.joined(separator: "; "))
    }

    /// Only the layout is compared, so the key of the initial draws does not matter.
    func build(name: String, config: [String: Any], fixture: String) throws -> Module {
        let key = RandomKey(seed: 0)
        if name.hasPrefix("STDiT3") { return try STDiT3(decodeConfig(STDiT3Config.self, config, fixture: fixture), key: key) }
        if name.hasPrefix("T5EncoderModel") { return try T5EncoderModel(decodeConfig(T5Config.self, config, fixture: fixture), key: key) }
        if name.hasPrefix("OpenSoraVAE") {
            var c = VideoVAEConfig.v1_2
            if let spatial = config["spatial_AutoencoderKL"] { c.spatial = try decodeConfig(SpatialVAEConfig.self, spatial, fixture: fixture) }
            if let temporal = config["temporal"] as? [String: Any] { c.temporal = try decodeConfig(TemporalVAEConfig.self, temporal, fixture: fixture) }
            return try VideoVAE(c, key: key)
        }
        throw ParityError.malformed(fixture, "no architecture named \(name) in this project")
    }
}
