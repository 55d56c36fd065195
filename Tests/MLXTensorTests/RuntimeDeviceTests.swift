@testable import MLXTensor
import XCTest

/// The default device is MLX's, queried through the shim, and the CPU kernels only take CPU work.
final class RuntimeDeviceTests: XCTestCase {
    func testDefaultDeviceIsWhatMLXReports() throws {
        XCTAssertEqual(Runtime.defaultDevice, .cpu)
        try Runtime.setDefaultDevice(.cpu)
        XCTAssertEqual(Runtime.defaultDevice, .cpu)
        if Runtime.gpuAvailable {
            try Runtime.setDefaultDevice(.gpu)
            defer { try? Runtime.setDefaultDevice(.cpu) }
            XCTAssertEqual(Runtime.defaultDevice, .gpu)
            XCTAssertFalse(CPUKernels.applies(to: Tensor([1, 2])))
        } else {
            // MLX-cpu refuses the GPU, and the refused call leaves MLX's device (and so ours) on the CPU.
            XCTAssertThrowsError(try Runtime.setDefaultDevice(.gpu))
            XCTAssertEqual(Runtime.defaultDevice, .cpu)
        }
    }

    func testKernelsApplyOnlyToHealthyFloat32WorkOnTheCPU() {
        XCTAssertTrue(CPUKernels.applies(enabled: true, dtype: .float32, failed: false, device: .cpu))
        XCTAssertFalse(CPUKernels.applies(enabled: true, dtype: .float32, failed: false, device: .gpu))
        XCTAssertFalse(CPUKernels.applies(enabled: false, dtype: .float32, failed: false, device: .cpu))
        XCTAssertFalse(CPUKernels.applies(enabled: true, dtype: .bfloat16, failed: false, device: .cpu))
        XCTAssertFalse(CPUKernels.applies(enabled: true, dtype: .float32, failed: true, device: .cpu))
        XCTAssertEqual(CPUKernels.withEnabled(true) { CPUKernels.applies(to: Tensor([1])) }, Runtime.defaultDevice == .cpu)
    }
}
