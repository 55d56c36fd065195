// Reference: opensora/models/text_encoder/t5.py@v1.2.0 (T5Embedder, T5Encoder); spec/t5.md §1.
import Foundation
import MLXTensor
import NN

/// Prompts → T5 features as Open-Sora feeds them to STDiT3: [B, 1, 300, d_model] and the mask
/// [B, 300]. The encoder can be released afterwards so later stages get its memory back.
public final class TextEncoder {
    public let tokenizer: T5Tokenizer
    public private(set) var model: T5EncoderModel?
    public let maxLength: Int
    /// The dtype the encoder computes in (float32 on CPU; weights may be stored narrower).
    public let computeDType: DType

    public init(tokenizer: T5Tokenizer, model: T5EncoderModel, maxLength: Int = 300, computeDType: DType = .float32) {
        self.tokenizer = tokenizer
        self.model = model
        self.maxLength = maxLength
        self.computeDType = computeDType
    }

    /// Loads a Hugging Face folder (`DeepFloyd/t5-v1_1-xxl` as downloaded): config.json, spiece.model
    /// and safetensors or `.bin` weights. Weights keep the checkpoint's dtype unless `storageDType`
    /// is given (bf16 storage with float32 compute keeps T5-XXL at 9.5 GB).
    public convenience init(folder: String, maxLength: Int = 300, storageDType: DType? = nil,
                            computeDType: DType = .float32) throws {
        let url = URL(fileURLWithPath: folder)
        let config = try ModelFolder.config(T5Config.self, at: url.appendingPathComponent("config.json").path)
        let tokenizerPath = url.appendingPathComponent("spiece.model").path
        guard FileManager.default.fileExists(atPath: tokenizerPath) else {
            throw CheckpointError.notFound(path: tokenizerPath, accepted: "the folder's SentencePiece model spiece.model")
        }
        let tokenizer = try T5Tokenizer(contentsOf: tokenizerPath)
        let model = try T5EncoderModel(config, key: RandomKey(seed: 0))  // replaced by the strict load below
        // Encoder-only use: a full T5 checkpoint's decoder and LM head are ignored.
        let weights = try ModelFolder.tensors(at: folder).filter { !$0.key.hasPrefix("decoder.") && $0.key != "lm_head.weight" }
        let stored = storageDType ?? weights["shared.weight"]?.dtype ?? .float32
        try model.loadWeights(from: weights, strict: true, dtype: stored)
        self.init(tokenizer: tokenizer, model: model, maxLength: maxLength, computeDType: computeDType)
    }

    /// Token ids and mask [B, maxLength] (int32).
    public func tokenize(_ prompts: [String]) throws -> (ids: Tensor, mask: Tensor) {
        let e = try tokenizer.encode(prompts, maxLength: maxLength)
        let b = prompts.count
        return (Tensor(int32: e.inputIDs.flatMap { $0.map(Int32.init) }, shape: [b, maxLength]),
                Tensor(int32: e.attentionMask.flatMap { $0.map(Int32.init) }, shape: [b, maxLength]))
    }

    /// `y` [B, 1, maxLength, d_model] and `mask` [B, maxLength].
    public func encode(_ prompts: [String]) throws -> (embedding: Tensor, mask: Tensor) {
        guard let model else { throw OpenSoraError.invalidInput("text encoder: already released; create a new one to encode") }
        guard !prompts.isEmpty else { throw OpenSoraError.invalidInput("text encoder: no prompts given") }
        let (ids, mask) = try tokenize(prompts)
        let hidden = try model(ids: ids, mask: mask, dtype: computeDType)
        return (try hidden.expandedDims(1).eval(), mask)
    }

    /// Frees the encoder's weights (and MLX's cached buffers) once the prompts are encoded.
    public func release() {
        model = nil
        Runtime.clearCache()
    }
}
