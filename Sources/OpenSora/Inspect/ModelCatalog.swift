import MLXTensor
import NN

/// The named architectures `opensora inspect --model` knows, with the official layout names.
public enum ModelCatalog {
    public struct Model: Sendable {
        public let id: String
        /// The name the reference registry and the layout fixture use.
        public let officialName: String
        public let build: @Sendable () throws -> Module
    }

    // Only names and shapes are read: the key of the (lazy, never evaluated) draws does not matter.
    public static let models: [Model] = [
        Model(id: "stdit3-xl2", officialName: "STDiT3-XL/2") { try STDiT3(.xl2, key: RandomKey(seed: 0)) },
        Model(id: "stdit3-3b2", officialName: "STDiT3-3B/2") { try STDiT3(.b3_2, key: RandomKey(seed: 0)) },
        Model(id: "stdit3-tiny", officialName: "STDiT3-tiny") { try STDiT3(.tiny, key: RandomKey(seed: 0)) },
        Model(id: "vae-v1.2", officialName: "OpenSoraVAE_V1_2") { try VideoVAE(.v1_2, key: RandomKey(seed: 0)) },
        Model(id: "vae-tiny", officialName: "OpenSoraVAE_V1_2-tiny") { try VideoVAE(.tiny, key: RandomKey(seed: 0)) },
        Model(id: "t5-v1_1-xxl", officialName: "T5EncoderModel t5-v1_1-xxl") { try T5EncoderModel(.v1_1XXL, key: RandomKey(seed: 0)) },
        Model(id: "t5-tiny", officialName: "T5EncoderModel tiny") { try T5EncoderModel(.tiny, key: RandomKey(seed: 0)) },
    ]

    public static func model(_ id: String) throws -> Model {
        guard let m = models.first(where: { $0.id == id }) else {
            throw OpenSoraError.unknownModel("unknown model '\(id)'; accepted: \(models.map(\.id).joined(separator: ", "))")
        }
        return m
    }

    public static func layout(_ id: String) throws -> ModelLayout {
        let m = try model(id)
        return ModelLayout(name: m.officialName, module: try m.build())
    }
}
