// Reference: shared/fixtures/parity/README.md ("File format").
import OpenSora
import Foundation
import MLXTensor

/// One reference case produced by the official PyTorch code: a `<kind>__<case>.safetensors` file
/// with `w.*` weights, `in.*` inputs, `out.*` expected outputs and string metadata, or a
/// `<kind>__<case>.json` file for non-tensor kinds.
public struct ParityFixture {
    public let url: URL
    public let kind: String
    public let metadata: [String: String]
    /// Tensor fixtures: every tensor by its full name (booleans already converted to `.bool`).
    public let tensors: [String: Tensor]
    /// JSON fixtures: the top-level object.
    public let json: [String: Any]?

    public var name: String { url.lastPathComponent }
    public var atol: Double { Double(metadata["atol"] ?? "") ?? 1e-4 }
    public var rtol: Double { Double(metadata["rtol"] ?? "") ?? 1e-4 }

    /// `w.<name>` tensors with the prefix removed: the module's state_dict.
    public var weights: [String: Tensor] { prefixed("w.") }
    public var inputs: [String: Tensor] { prefixed("in.") }
    public var expectedOutputs: [String: Tensor] { prefixed("out.") }

    /// A metadata value parsed as JSON (`config`, `call`).
    public func jsonMetadata(_ key: String) throws -> [String: Any] {
        guard let text = metadata[key] else { return [:] }
        guard let value = try? JSONSerialization.jsonObject(with: Data(text.utf8)), let object = value as? [String: Any] else {
            throw ParityError.malformed(name, "metadata '\(key)' is not a JSON object")
        }
        return object
    }

    /// The named input, or an error naming the fixture and the input.
    public func input(_ name: String) throws -> Tensor {
        guard let t = tensors["in.\(name)"] else { throw ParityError.malformed(self.name, "no tensor in.\(name)") }
        return t
    }

    private func prefixed(_ prefix: String) -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: tensors.compactMap { k, v in k.hasPrefix(prefix) ? (String(k.dropFirst(prefix.count)), v) : nil })
    }

    /// Reads a fixture file; the kind comes from the metadata (tensor files) or the `kind` key (JSON).
    public static func load(_ url: URL) throws -> ParityFixture {
        if url.pathExtension == "json" {
            guard let data = FileManager.default.contents(atPath: url.path),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { throw ParityError.malformed(url.lastPathComponent, "not a JSON object") }
            let kind = object["kind"] as? String ?? kindFromName(url)
            return ParityFixture(url: url, kind: kind, metadata: [:], tensors: [:], json: object)
        }
        let file = try Safetensors.load(url.path)
        let boolNames = Set((file.metadata["bool_inputs"] ?? "").split(separator: ",").map(String.init))
        var tensors = file.tensors
        for name in boolNames { tensors[name] = tensors[name]?.asType(.bool) }
        return ParityFixture(url: url, kind: file.metadata["kind"] ?? kindFromName(url), metadata: file.metadata,
                             tensors: tensors, json: nil)
    }

    static func kindFromName(_ url: URL) -> String {
        url.deletingPathExtension().lastPathComponent.components(separatedBy: "__").first ?? ""
    }

    /// Fixture files in `directory`, sorted by name (auxiliary files such as a tokenizer's
    /// `spiece.model` or model folders are not fixtures).
    public static func files(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.contains("__") && ($0.hasSuffix(".safetensors") || $0.hasSuffix(".json")) }
            .sorted().map { directory.appendingPathComponent($0) }
    }
}

/// Decodes a config JSON object (from fixture metadata) over the config's defaults.
func decodeConfig<T: ModelConfig>(_ type: T.Type, _ object: Any?, fixture: String) throws -> T {
    guard let object = object as? [String: Any] else { throw ParityError.malformed(fixture, "missing \(T.self) config") }
    return try T.decode(object)
}

public enum ParityError: Error, CustomStringConvertible {
    case malformed(String, String)

    public var description: String {
        switch self {
        case .malformed(let file, let why): "\(file): \(why)"
        }
    }
}
