// Reference: train.py@v1.2.0 seeds Python, NumPy and torch once (ColossalAI set_seed) and saves none of their
// states, so a resumed run draws different noise; here every stream a trainer uses is saved.
import Foundation

/// Every random stream of a run, by name.
public struct RNGStates: Codable, Equatable, Sendable {
    /// A RandomKey stream: the key of draw `counter` is `RandomKey(seed: seed).child(counter)`.
    public struct KeyStream: Codable, Equatable, Sendable {
        public var seed: UInt64
        public var counter: UInt64

        public init(seed: UInt64, counter: UInt64) {
            self.seed = seed
            self.counter = counter
        }
    }

    public var keys: [String: KeyStream]
    /// Other generators' states (NumPy, Torch, Python `random`) as the JSON text of their Codable values.
    public var generators: [String: String]

    public init(keys: [String: KeyStream] = [:], generators: [String: String] = [:]) {
        self.keys = keys
        self.generators = generators
    }

    /// Stores a generator's Codable state under `name`.
    public mutating func setGenerator<T: Encodable>(_ state: T, named name: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        generators[name] = String(decoding: try encoder.encode(state), as: UTF8.self)
    }

    /// The state stored under `name`, or nil when there is none.
    public func generator<T: Decodable>(_ type: T.Type, named name: String) throws -> T? {
        guard let text = generators[name] else { return nil }
        return try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}
