import MLXTensor
import NN
import XCTest

/// BatchNorm against values worked by hand (torch.nn.BatchNorm2d semantics, momentum 0.1, eps 1e-5).
final class BatchNormTests: XCTestCase {
    /// [N=2, H=1, W=2, C=2]: channel 0 holds 1, 2, 3, 4 (mean 2.5, biased var 1.25, unbiased 5/3), channel 1 holds
    /// 0, 0, 2, 2 (mean 1, var 1, unbiased 4/3).
    let x = Tensor([1, 0, 2, 0, 3, 2, 4, 2], shape: [2, 1, 2, 2])

    func testTrainingNormalisesByTheBatchAndUpdatesTheRunningStatistics() throws {
        let bn = BatchNorm(2)
        try bn.update(parameters: ["weight": Tensor([2, 1]), "bias": Tensor([0.5, 0])])
        bn.train()
        let s0 = (1.25 + 1e-5 as Float).squareRoot(), s1 = (1 + 1e-5 as Float).squareRoot()
        let want: [Float] = [2 * -1.5 / s0 + 0.5, -1 / s1, 2 * -0.5 / s0 + 0.5, -1 / s1,
                             2 * 0.5 / s0 + 0.5, 1 / s1, 2 * 1.5 / s0 + 0.5, 1 / s1]
        assertClose(try bn(x).toArray(), want)
        assertClose(try bn.runningMean.toArray(), [0.25, 0.1])
        assertClose(try bn.runningVar.toArray(), [0.9 + 0.1 * 5 / 3, 0.9 + 0.1 * 4 / 3])
        XCTAssertEqual(bn.batchesTracked.dtype, .int64)
        XCTAssertEqual(try bn.batchesTracked.asType(.float32).item() as Float, 1)

        bn.updatesStatistics = false
        _ = try bn(x).toArray() as [Float]
        assertClose(try bn.runningMean.toArray(), [0.25, 0.1], "a recomputation leaves the statistics")
    }

    func testEvaluationUsesTheRunningStatistics() throws {
        let bn = BatchNorm(2)
        bn.train()
        _ = try bn(x).toArray() as [Float]
        bn.eval()
        let v0 = (0.9 + 0.1 * 5 / 3 + 1e-5 as Float).squareRoot(), v1 = (0.9 + 0.1 * 4 / 3 + 1e-5 as Float).squareRoot()
        let want: [Float] = [0.75 / v0, -0.1 / v1, 1.75 / v0, -0.1 / v1, 2.75 / v0, 1.9 / v1, 3.75 / v0, 1.9 / v1]
        assertClose(try bn(x).toArray(), want)
        XCTAssertEqual(Set(bn.namedParameters().map(\.0)), ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"])
        XCTAssertEqual(bn.bufferPaths(), ["running_mean", "running_var", "num_batches_tracked"])
        XCTAssertEqual(Set(bn.trainableParameters().map(\.0)), ["weight", "bias"])
    }

    func testLeakyReLU() throws {
        XCTAssertEqual(try LeakyReLU(negativeSlope: 0.2)(Tensor([-2, 0, 3])).toArray(), [-0.4, 0, 3])
    }
}
