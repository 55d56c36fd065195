import MLXTensor
import NN
import XCTest

final class PoolingTests: XCTestCase {
    func testMaxPoolTakesEachWindowsMaximumAndDropsTheRemainder() throws {
        // [1, 3, 5, 1] channels-last: rows 0–1 and columns 0–3 form two windows; row 2 and column 4 are dropped.
        let x = Tensor([1, 5, 2, 0, 9,
                        3, 4, 8, 7, 9,
                        9, 9, 9, 9, 9], shape: [1, 3, 5, 1])
        let y = MaxPool2d(kernelSize: 2)(x)
        XCTAssertEqual(y.shape, [1, 1, 2, 1])
        XCTAssertEqual(try y.toArray(), [5, 8])
        XCTAssertThrowsError(try MaxPool2d()(Tensor.zeros([1, 1, 4, 1])).checked())
    }

    func testReLUZeroesNegatives() throws {
        XCTAssertEqual(try ReLU()(Tensor([-2, 0, 3])).toArray(), [0, 0, 3])
    }
}
