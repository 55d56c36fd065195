import Foundation
import MLXTensor
import NN

extension TextEncoder {
    /// The bundled 1,152-piece SentencePiece model of the tiny T5.
    public static func tinyTokenizerPath() throws -> String {
        guard let spiece = Bundle.module.url(forResource: "tiny-spiece", withExtension: "model", subdirectory: "Resources") else {
            throw CheckpointError.notFound(path: "Resources/tiny-spiece.model", accepted: "the bundled tokenizer model")
        }
        return spiece.path
    }

    /// The tiny T5 (`T5Config.tiny`, d_model 32) with the bundled tokenizer and weights drawn from `key`: the text
    /// encoder of the tiny presets, reproducible anywhere from the same key.
    public static func tiny(key: RandomKey, maxLength: Int = 300) throws -> TextEncoder {
        TextEncoder(tokenizer: try T5Tokenizer(contentsOf: tinyTokenizerPath()), model: try T5EncoderModel(.tiny, key: key),
                    maxLength: maxLength)
    }
}
