import CMLX

/// Element types a `Tensor` can hold. On CPU compute in float32; bfloat16/float16 are storage
/// formats there (notes/runtime-mlx-x86.md §4) and compute types on GPUs.
public enum DType: Int32, Sendable, CaseIterable, CustomStringConvertible {
    case bool = 0, uint8 = 1, int32 = 2, int64 = 3, float16 = 4, bfloat16 = 5, float32 = 6, uint32 = 7, float64 = 8

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .bool, .uint8: 1
        case .float16, .bfloat16: 2
        case .int32, .float32, .uint32: 4
        case .int64, .float64: 8
        }
    }

    public var isFloatingPoint: Bool { [.float16, .bfloat16, .float32, .float64].contains(self) }

    /// The names safetensors headers use ("F32", "BF16", …).
    public var safetensorsName: String {
        switch self {
        case .bool: "BOOL"
        case .uint8: "U8"
        case .int32: "I32"
        case .int64: "I64"
        case .float16: "F16"
        case .bfloat16: "BF16"
        case .float32: "F32"
        case .uint32: "U32"
        case .float64: "F64"
        }
    }

    public init?(safetensorsName: String) {
        guard let match = DType.allCases.first(where: { $0.safetensorsName == safetensorsName }) else { return nil }
        self = match
    }

    public var description: String {
        switch self {
        case .bool: "bool"
        case .uint8: "uint8"
        case .int32: "int32"
        case .int64: "int64"
        case .float16: "float16"
        case .bfloat16: "bfloat16"
        case .float32: "float32"
        case .uint32: "uint32"
        case .float64: "float64"
        }
    }

    var cValue: cmlx_dtype { cmlx_dtype(rawValue: UInt32(rawValue)) }
    /// Nil for a type the shim could not name (CMLX_UNSUPPORTED): never guessed as float32.
    init?(_ c: cmlx_dtype) {
        guard let d = DType(rawValue: Int32(c.rawValue)) else { return nil }
        self = d
    }
}
