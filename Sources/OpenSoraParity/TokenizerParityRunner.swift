// Reference: shared/fixtures/parity/README.md (tokenizer.t5).
import OpenSora
import Foundation

/// `tokenizer.t5`: every case's ids and mask must equal the reference exactly.
struct T5TokenizerRunner: ParityRunner {
    func run(_ f: ParityFixture) throws -> ParityResult {
        guard let json = f.json, let modelName = json["tokenizer_model"] as? String, let cases = json["cases"] as? [[String: Any]] else {
            throw ParityError.malformed(f.name, "needs tokenizer_model and cases")
        }
        let tokenizer = try T5Tokenizer(contentsOf: f.url.deletingLastPathComponent().appendingPathComponent(modelName).path)
        var failures = [String]()
        for (i, c) in cases.enumerated() {
            guard let text = c["text"] as? String, let maxLength = c["max_length"] as? Int,
                  let ids = c["input_ids"] as? [Int], let mask = c["attention_mask"] as? [Int]
            else { throw ParityError.malformed(f.name, "case \(i) lacks text/max_length/input_ids/attention_mask") }
            let got = try tokenizer.encode([text], maxLength: maxLength)
            if got.inputIDs[0] != ids || got.attentionMask[0] != mask {
                let at = zip(got.inputIDs[0], ids).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1
                failures.append("case \(i) \(String(reflecting: text).prefix(40)) differs at token \(at)")
            }
        }
        return .checked(maxAbsError: Double(failures.count), passed: failures.isEmpty,
                        detail: failures.isEmpty ? "\(cases.count) cases exact" : failures.joined(separator: "; "))
    }
}
