import CMLX
import Foundation
@testable import MLXTensor
import XCTest

/// The shim's entry points report failures as codes and messages: no C++ exception reaches Swift,
/// and no MLX dtype without a Swift `DType` is passed off as float32.
final class ShimGuardTests: XCTestCase {
    /// `cmlx_array_dim` used to call `array::shape(axis)` unguarded: a bad axis threw
    /// std::out_of_range across the C boundary and terminated the process.
    func testDimOfAMissingAxisIsAnErrorCode() throws {
        let x = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        var d: Int32 = -7
        XCTAssertEqual(cmlx_array_dim(&d, x.handle, -1), 0)
        XCTAssertEqual(d, 3)
        XCTAssertEqual(cmlx_array_dim(&d, x.handle, 5), 1)
        XCTAssertFalse(String(cString: cmlx_last_error()).isEmpty)
        XCTAssertEqual(cmlx_array_dim(&d, nil, 0), 1)
        XCTAssertEqual(String(cString: cmlx_last_error()), "[cmlx] null array handle")
    }

    func testNullHandlesAreRefusedNotDereferenced() {
        XCTAssertNil(cmlx_array_new_handle(nil))
        XCTAssertEqual(String(cString: cmlx_last_error()), "[cmlx] null array handle")
        XCTAssertEqual(cmlx_array_dtype(nil), CMLX_UNSUPPORTED)
        let v = cmlx_vector_new()
        defer { cmlx_vector_free(v) }
        XCTAssertEqual(cmlx_vector_append(v, nil), 1)
        XCTAssertEqual(cmlx_vector_size(v), 0)
    }

    /// An int16 safetensors entry (MLX reads it; Swift has no int16): the shim used to report it as
    /// float32, so the tensor's dtype lied and its bytes were read as floats.
    func testAnMLXDtypeSwiftCannotNameBecomesAFailedTensor() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("i16-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let header = Array(#"{"x":{"dtype":"I16","shape":[2],"data_offsets":[0,4]}}"#.utf8)
        var bytes = withUnsafeBytes(of: UInt64(header.count).littleEndian, Array.init)
        bytes += header + [1, 0, 2, 0]
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        var file: cmlx_tensor_file? = nil
        XCTAssertEqual(cmlx_safetensors_load(&file, path), 0, String(cString: cmlx_last_error()))
        defer { cmlx_tensor_file_free(file) }
        let t = Tensor.op { cmlx_tensor_file_array($0, file, 0) }
        XCTAssertEqual(t.failure, .mlx(
            "[cmlx] MLX dtype int16 has no Swift DType (supported: bool, uint8, int32, int64, float16, bfloat16, float32, uint32, float64)"))
        XCTAssertThrowsError(try t.toArray())
    }

    func testAnUnknownSwiftSideDtypeValueIsRefused() {
        XCTAssertNil(DType(cmlx_dtype(rawValue: 42)))
        XCTAssertNil(DType(CMLX_UNSUPPORTED))
        XCTAssertEqual(DType(CMLX_BFLOAT16), .bfloat16)
        let t = Tensor.op { cmlx_array_scalar_f32($0, 1, cmlx_dtype(rawValue: 42)) }
        XCTAssertEqual(t.failure, .mlx("[cmlx] unknown dtype 42"))
    }
}
