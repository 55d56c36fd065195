// Reference: transformers CLIPConfig / CLIPTextConfig / CLIPVisionConfig (config.json of
// openai/clip-vit-large-patch14); tools/scoring/aesthetic/inference.py@v1.2.0 (clip.load("ViT-L/14"));
// spec/tools.md §6, §9.
import Foundation
import OpenSora

/// One CLIP tower's transformer: widths, depth and heads (the keys of `vision_config`/`text_config`).
public struct CLIPTowerConfig: ModelConfig {
    public var hiddenSize = 1024
    public var intermediateSize = 4096
    public var layerCount = 24
    public var headCount = 16
    public var layerNormEps: Float = 1e-5
    /// Only CLIP's `quick_gelu` (x·σ(1.702x)) is implemented; anything else is refused at build.
    public var hiddenAct = "quick_gelu"
    /// Vision tower: the square input side and the patch side.
    public var imageSize = 224
    public var patchSize = 14
    /// Text tower: the token table and the context length.
    public var vocabSize = 49408
    public var maxPositionEmbeddings = 77

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size", intermediateSize = "intermediate_size", layerCount = "num_hidden_layers"
        case headCount = "num_attention_heads", layerNormEps = "layer_norm_eps", hiddenAct = "hidden_act"
        case imageSize = "image_size", patchSize = "patch_size", vocabSize = "vocab_size"
        case maxPositionEmbeddings = "max_position_embeddings"
    }

    public init() {}

    /// ViT-L/14's image tower.
    public static let vitL14Vision = CLIPTowerConfig()

    /// ViT-L/14's text tower (width 768, 12 layers, 12 heads).
    public static let vitL14Text: CLIPTowerConfig = {
        var c = CLIPTowerConfig()
        (c.hiddenSize, c.intermediateSize, c.layerCount, c.headCount) = (768, 3072, 12, 12)
        return c
    }()

    public var headDimensions: Int { hiddenSize / headCount }
    /// Patches per side of the vision tower's grid.
    public var gridSide: Int { imageSize / patchSize }

    func validate(_ tower: String) throws {
        guard hiddenSize > 0, headCount > 0, hiddenSize % headCount == 0, layerCount >= 0, intermediateSize > 0 else {
            throw OpenSoraError.invalidConfiguration(
                "CLIP \(tower): hidden_size \(hiddenSize) must be a positive multiple of num_attention_heads \(headCount)")
        }
        guard hiddenAct == "quick_gelu" else {
            throw OpenSoraError.invalidConfiguration("CLIP \(tower): hidden_act '\(hiddenAct)' is not supported (accepted: quick_gelu)")
        }
        guard patchSize > 0, imageSize >= patchSize, imageSize % patchSize == 0 else {
            throw OpenSoraError.invalidConfiguration("CLIP \(tower): image_size \(imageSize) must be a multiple of patch_size \(patchSize)")
        }
    }
}

/// CLIP's two towers and their shared embedding width; the default is OpenAI's ViT-L/14.
public struct CLIPConfig: Equatable, Sendable {
    public var vision = CLIPTowerConfig.vitL14Vision
    public var text = CLIPTowerConfig.vitL14Text
    public var projectionDim = 768

    public init() {}

    /// OpenAI CLIP ViT-L/14 (`openai/clip-vit-large-patch14`).
    public static let vitL14 = CLIPConfig()

    /// A Hugging Face `config.json`: each tower's object is decoded over its ViT-L/14 defaults (a
    /// shallow merge would lose the defaults of keys a tower object omits).
    public static func decode(json data: Data) throws -> CLIPConfig {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw OpenSoraError.invalidConfiguration("CLIPConfig: the configuration is not a JSON object")
        }
        var config = CLIPConfig()
        if let vision = object["vision_config"] as? [String: Any] {
            config.vision = try CLIPTowerConfig.decode(CLIPTowerConfig.vitL14Vision.overlaid(vision))
        }
        if let text = object["text_config"] as? [String: Any] {
            config.text = try CLIPTowerConfig.decode(CLIPTowerConfig.vitL14Text.overlaid(text))
        }
        if let projection = object["projection_dim"] as? Int { config.projectionDim = projection }
        return config
    }

    /// `config.json` in `folder`, or ViT-L/14 when the folder has none.
    public static func load(folder: String) throws -> CLIPConfig {
        let path = (folder as NSString).appendingPathComponent("config.json")
        guard let data = FileManager.default.contents(atPath: path) else { return .vitL14 }
        do { return try decode(json: data) } catch {
            throw OpenSoraError.invalidConfiguration("\(path): not a valid CLIP config (\(error))")
        }
    }

    func validate() throws {
        try vision.validate("vision_config")
        try text.validate("text_config")
        guard projectionDim > 0 else { throw OpenSoraError.invalidConfiguration("CLIP: projection_dim \(projectionDim) must be positive") }
    }
}

extension CLIPTowerConfig {
    /// `given` over this preset's keys (the text tower's defaults differ from the vision tower's).
    func overlaid(_ given: [String: Any]) throws -> [String: Any] {
        let own = try JSONSerialization.jsonObject(with: JSONEncoder().encode(self)) as? [String: Any] ?? [:]
        let known = Set(own.keys)
        return own.merging(given.filter { known.contains($0.key) && !($0.value is NSNull) }) { _, new in new }
    }
}
