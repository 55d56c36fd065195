import ArgumentParser
import MLXTensor
import OpenSora

// The domain's closed choices as command-line values: `--help` lists them, a wrong one is rejected by
// the parser with the accepted values.
extension Resolution: ExpressibleByArgument {}
extension AspectRatio: ExpressibleByArgument {}
extension CameraMotion: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}
extension TextEncoderPolicy: ExpressibleByArgument {}

/// `--dtype`: the compute type; half precision needs a GPU backend (40–80x slower matmul on this CPU build).
enum ComputeType: String, CaseIterable, ExpressibleByArgument {
    case float32, bfloat16, float16

    init?(argument: String) {
        switch argument.lowercased() {
        case "float32", "fp32": self = .float32
        case "bfloat16", "bf16": self = .bfloat16
        case "float16", "fp16": self = .float16
        default: return nil
        }
    }

    func dtype() throws -> DType {
        switch self {
        case .float32: return .float32
        case .bfloat16, .float16:
            guard Runtime.gpuAvailable else {
                throw ValidationError("--dtype \(rawValue) needs a GPU backend: half-precision matmul on this CPU build is 40-80x slower; use float32")
            }
            return self == .bfloat16 ? .bfloat16 : .float16
        }
    }
}
