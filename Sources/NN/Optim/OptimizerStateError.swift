import MLXTensor

/// Why an optimizer or EMA state file could not be restored; the object is unchanged when thrown.
public enum OptimizerStateError: Error, Equatable, CustomStringConvertible {
    /// The file is not a state of this kind, or a metadata entry is absent or malformed.
    case badMetadata(path: String, key: String, found: String?, accepted: String)
    /// The saved tensors do not fit the parameters: missing, unexpected and wrong-shape names
    /// (shapes are the parameters' = expected, the file's = found).
    case mismatch(path: String, report: LoadReport)

    public var description: String {
        switch self {
        case .badMetadata(let path, let key, let found, let accepted):
            "\(path): metadata '\(key)' is \(found.map { "'\($0)'" } ?? "absent"), expected \(accepted)"
        case .mismatch(let path, let report): "\(path): state does not fit the parameters: \(report)"
        }
    }
}

/// Reading and checking the pieces of a saved state (shared by AdamW and EMA).
struct StateFile {
    let path: String
    let file: SafetensorsFile

    init(loading path: String, format: String) throws {
        try self.init(file: Safetensors.load(path), source: path, format: format)
    }

    init(file: SafetensorsFile, source: String, format: String) throws {
        self.path = source
        self.file = file
        let found = file.metadata["format"]
        guard found == format else { throw OptimizerStateError.badMetadata(path: path, key: "format", found: found, accepted: "'\(format)'") }
    }

    func float(_ key: String) throws -> Float {
        guard let text = file.metadata[key], let v = Float(text), v.isFinite else {
            throw OptimizerStateError.badMetadata(path: path, key: key, found: file.metadata[key], accepted: "a finite number")
        }
        return v
    }

    func int(_ key: String) throws -> Int {
        guard let text = file.metadata[key], let v = Int(text), v >= 0 else {
            throw OptimizerStateError.badMetadata(path: path, key: key, found: file.metadata[key], accepted: "an integer ≥ 0")
        }
        return v
    }

    /// The tensors named `prefix + path` for each prefix, checked against `parameters` (every
    /// parameter present under each prefix, no extra name, same shapes), all problems in one report;
    /// `dtype` converts them (moments are float32).
    func tensors(prefixes: [String], matching parameters: [String: Tensor], dtype: DType? = nil) throws -> [[String: Tensor]] {
        var report = LoadReport(), result = [[String: Tensor]]()
        for prefix in prefixes {
            var found = [String: Tensor]()
            for (name, t) in file.tensors where name.hasPrefix(prefix) && !prefixes.contains(where: { $0.count > prefix.count && name.hasPrefix($0) }) {
                let key = String(name.dropFirst(prefix.count))
                guard let p = parameters[key] else { report.unexpected.append(name); continue }
                try t.checked()
                guard t.shape == p.shape else {
                    report.wrongShape.append(.init(path: name, expected: p.shape, found: t.shape))
                    continue
                }
                found[key] = dtype.map { t.dtype == $0 ? t : t.asType($0) } ?? t
            }
            report.missing += parameters.keys.filter { file.tensors[prefix + $0] == nil }.map { prefix + $0 }
            result.append(found)
        }
        report.missing.sort()
        report.unexpected.sort()
        report.wrongShape.sort { $0.path < $1.path }
        guard report.isClean else { throw OptimizerStateError.mismatch(path: path, report: report) }
        return result
    }
}
