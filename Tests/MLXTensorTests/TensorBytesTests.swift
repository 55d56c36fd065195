import MLXTensor
import XCTest

/// Host data whose shape cannot be a tensor becomes a failed tensor, not an overflow trap.
final class TensorBytesTests: XCTestCase {
    func testHugeShapesFailInsteadOfOverflowing() {
        let bytes: [UInt8] = [0, 0, 128, 63]
        for shape in [[Int.max, 2], [1 << 40, 1 << 40], [Int.max / 4 + 1]] {
            let t = bytes.withUnsafeBytes { Tensor(bytes: $0, shape: shape, dtype: .float32) }
            XCTAssertEqual(t.failure, .shapeMismatch(
                "[Tensor] shape \(shape) is not a valid size (accepted: axes 0...Int32.max whose product fits in Int)"), "\(shape)")
        }
        XCTAssertNotNil(Tensor([1, 2], shape: [Int.max, 4]).failure)
        XCTAssertNotNil(Tensor([1, 2], shape: [-1, -2]).failure)
    }

    func testBytesThatFitGiveTheValue() throws {
        let bytes: [UInt8] = [0, 0, 128, 63, 0, 0, 0, 64]  // 1.0, 2.0 little-endian
        let t = bytes.withUnsafeBytes { Tensor(bytes: $0, shape: [2, 1], dtype: .float32) }
        XCTAssertEqual(try t.toArray(), [1, 2])
        let short = bytes.withUnsafeBytes { Tensor(bytes: $0, shape: [3], dtype: .float32) }
        XCTAssertEqual(short.failure, .shapeMismatch("[Tensor] 8 bytes do not fill shape [3] of float32"))
    }

    /// Sizes beyond Int32 used to wrap: a reshape to [2³² + 2] became [2] and succeeded.
    func testSizesBeyondInt32AreRefusedNotWrapped() throws {
        let x = Tensor([1, 2])
        XCTAssertNotNil(x.reshaped([(1 << 32) + 2]).failure)
        XCTAssertNotNil(x.broadcast(to: [(1 << 32) + 2]).failure)
        XCTAssertNotNil(x.expandedDims(1 << 32).failure)
        XCTAssertNotNil(Tensor.zeros([(1 << 32) + 1]).failure)
        XCTAssertNotNil(x.repeated(1 << 32, axis: 0).failure)
        XCTAssertEqual(Tensor.randint([2], low: 0, high: 1 << 40, key: RandomKey(seed: 1)).failure,
                       .invalidArgument("[random.randint] bounds [0, 1099511627776) must lie within Int32"))
        XCTAssertEqual(try x.reshaped([2, 1]).checked().shape, [2, 1])
    }
}
