import MLXTensor
import XCTest

final class IndexingTests: XCTestCase {
    let x = Tensor((0..<24).map(Float.init), shape: [2, 3, 4])

    func testIntegerIndexDropsAxis() throws {
        XCTAssertEqual(x[1].shape, [3, 4])
        XCTAssertEqual(try x[1, 2].toArray(), [20, 21, 22, 23])
        XCTAssertEqual(try x[-1, -1, -1].item(), 23)
    }

    func testRangesStridesAndNewAxis() throws {
        XCTAssertEqual(try x[0, .all, .stride(1, nil, 2)].toArray(), [1, 3, 5, 7, 9, 11])
        XCTAssertEqual(try x[0, 1...2, ..<1].toArray(), [4, 8])
        XCTAssertEqual(x[.newAxis, 0].shape, [1, 3, 4])
    }

    func testOutOfRangeIndexIsAnErrorNotACrash() {
        let bad = x[5]
        XCTAssertThrowsError(try bad.eval()) { XCTAssertTrue("\($0)".contains("index 5 out of range")) }
    }

    func testSliceUpdate() throws {
        let y = Tensor.zeros([2, 3]).updatingSlice(start: [1, 1], with: Tensor([7, 8], shape: [1, 2]))
        XCTAssertEqual(try y.toArray(), [0, 0, 0, 0, 7, 8])
    }

    func testSplitStackFlipTakeRepeatTile() throws {
        let parts = x.split(parts: 2, axis: 2)
        XCTAssertEqual(parts.count, 2)
        XCTAssertEqual(try parts[1][0, 0].toArray(), [2, 3])
        XCTAssertEqual(Tensor.stack([x, x], axis: 1).shape, [2, 2, 3, 4])
        XCTAssertEqual(try x[0, 0].flipped(axis: 0).toArray(), [3, 2, 1, 0])
        XCTAssertEqual(try x[0, 0].take(Tensor(int32: [3, 0]), axis: 0).toArray(), [3, 0])
        XCTAssertEqual(try Tensor([1, 2]).repeated(2, axis: 0).toArray(), [1, 1, 2, 2])
        XCTAssertEqual(try Tensor([1, 2]).tiled([2]).toArray(), [1, 2, 1, 2])
    }

    func testShapeMismatchBecomesThrownError() {
        let bad = Tensor.zeros([2, 3]) + Tensor.zeros([4])
        XCTAssertNotNil(bad.failure)
        XCTAssertThrowsError(try (bad * 2).toArray()) { error in
            XCTAssertTrue("\(error)".contains("broadcast"), "\(error)")
        }
        XCTAssertThrowsError(try Tensor.zeros([2, 3]).matmul(Tensor.zeros([2, 3])).eval())
        XCTAssertThrowsError(try Tensor([1, 2, 3], shape: [2, 2]).eval())
    }

    func testDTypesRoundTrip() throws {
        for dtype in [DType.float16, .bfloat16, .float32, .int32, .int64, .uint8] {
            let t = Tensor([1, 2, 3], dtype: dtype)
            XCTAssertEqual(t.dtype, dtype)
            XCTAssertEqual(try t.toArray(), [1, 2, 3], "\(dtype)")
        }
        XCTAssertEqual(try Tensor([true, false]).toBoolArray(), [true, false])
        XCTAssertEqual(try Tensor(int64: [5, -6]).toInt64Array(), [5, -6])
    }
}
