// Reference: train.py@v1.2.0 / ckpt_utils.py `save`: folder `epoch{epoch}-global_step{global_step + 1}`; spec/training.md §10.1.

/// A checkpoint folder's name: the epoch it was saved in and the global step count reached.
public struct CheckpointName: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let epoch: Int
    public let globalStep: Int

    public init(epoch: Int, globalStep: Int) {
        self.epoch = epoch
        self.globalStep = globalStep
    }

    /// Parses exactly `epoch{E}-global_step{S}` (digits only), so temporary folders never match.
    public init?(_ text: String) {
        guard text.hasPrefix("epoch"), let dash = text.firstIndex(of: "-") else { return nil }
        let e = text[text.index(text.startIndex, offsetBy: 5)..<dash]
        let rest = text[text.index(after: dash)...]
        guard rest.hasPrefix("global_step") else { return nil }
        let s = rest.dropFirst("global_step".count)
        guard !e.isEmpty, !s.isEmpty, e.allSatisfy(\.isASCII), s.allSatisfy(\.isASCII),
              e.allSatisfy(\.isNumber), s.allSatisfy(\.isNumber), let epoch = Int(e), let step = Int(s) else { return nil }
        self.init(epoch: epoch, globalStep: step)
    }

    public var description: String { "epoch\(epoch)-global_step\(globalStep)" }

    /// Newer = more global steps (then a later epoch).
    public static func < (a: CheckpointName, b: CheckpointName) -> Bool {
        (a.globalStep, a.epoch) < (b.globalStep, b.epoch)
    }
}
