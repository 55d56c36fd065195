import MLXTensor
import XCTest

final class RandomTests: XCTestCase {
    func testSameKeySameDrawsDifferentKeysDifferentDraws() throws {
        let a = try Tensor.normal([100], key: RandomKey(seed: 42)).toArray()
        let b = try Tensor.normal([100], key: RandomKey(seed: 42)).toArray()
        let c = try Tensor.normal([100], key: RandomKey(seed: 43)).toArray()
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        let split = RandomKey(seed: 42).split(into: 2)
        XCTAssertNotEqual(try Tensor.normal([100], key: split[0]).toArray(), try Tensor.normal([100], key: split[1]).toArray())
    }

    func testDistributionsHaveTheirMoments() throws {
        let n = try Tensor.normal([20000], key: RandomKey(seed: 1))
        XCTAssertEqual(try n.mean().item(), 0, accuracy: 0.03)
        XCTAssertEqual(try n.variance().item(), 1, accuracy: 0.05)
        let u = Tensor.uniform([20000], low: 2, high: 4, key: RandomKey(seed: 2))
        XCTAssertEqual(try u.mean().item(), 3, accuracy: 0.03)
        XCTAssertGreaterThanOrEqual(try u.min().item(), 2)
        XCTAssertLessThan(try u.max().item(), 4)
        let bern = Tensor.bernoulli(Tensor(0.25), shape: [20000], key: RandomKey(seed: 3))
        XCTAssertEqual(bern.dtype, .bool)
        XCTAssertEqual(try bern.asType(.float32).mean().item(), 0.25, accuracy: 0.02)
        let ints = try Tensor.randint([1000], low: 3, high: 6, key: RandomKey(seed: 4)).toInt32Array()
        XCTAssertEqual(Set(ints), [3, 4, 5])
        // A categorical over logits that put all mass on index 2.
        let logits = Tensor([-1e9, -1e9, 0, -1e9], shape: [1, 4])
        XCTAssertEqual(try Tensor.categorical(logits: logits, key: RandomKey(seed: 5)).toInt32Array(), [2])
    }
}
