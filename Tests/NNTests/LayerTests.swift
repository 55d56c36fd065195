import MLXTensor
import NN
import XCTest

/// Layers against closed forms computed here from the same weights.
final class LayerTests: XCTestCase {
    func testLinearIsXWTransposePlusBias() throws {
        let layer = Linear(3, 2, key: RandomKey(seed: 1))
        try layer.update(parameters: ["weight": Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3]), "bias": Tensor([0.5, -1])])
        let y = layer(Tensor([1, 0, -1, 2, 1, 0], shape: [1, 2, 3]))
        XCTAssertEqual(y.shape, [1, 2, 2])
        let want: [Float] = [-1.5, -3, 4.5, 12]  // rows x·Wᵀ + b worked by hand
        XCTAssertEqual(try y.toArray(), want)
        XCTAssertThrowsError(try layer(Tensor.zeros([2, 4])).eval()) { XCTAssertTrue("\($0)".contains("expected 3")) }
    }

    func testConvLoadsPyTorchLayout() throws {
        // A PyTorch Conv2d weight [O=1, I=2, 1, 1]: output = 2·c0 − c1.
        let conv = Convolution(2, 1, kernelSize: [1, 1], bias: false, key: RandomKey(seed: 1))
        try conv.loadWeights(from: ["weight": Tensor([2, -1], shape: [1, 2, 1, 1])])
        let x = Tensor([1, 5, 3, 4], shape: [1, 1, 2, 2])  // [N, H, W, C]
        XCTAssertEqual(try conv(x).toArray(), [2 - 5, 6 - 4])
    }

    func testNormsAndEmbedding() throws {
        let x = Tensor([1, 2, 3, 4], shape: [1, 4])
        let rms = RMSNorm(4, eps: 0)
        let r = (7.5 as Float).squareRoot()
        assertClose(try rms(x).toArray(), [1 / r, 2 / r, 3 / r, 4 / r])
        let ln = LayerNorm(4, eps: 0, affine: false)
        let sd = (1.25 as Float).squareRoot()
        assertClose(try ln(x).toArray(), [-1.5 / sd, -0.5 / sd, 0.5 / sd, 1.5 / sd])
        let gn = GroupNorm(groups: 2, channels: 4, eps: 0)
        // groups {1,2} and {3,4} over one position: each normalises to [-1, 1]
        assertClose(try gn(Tensor([1, 2, 3, 4], shape: [1, 1, 4])).toArray(), [-1, 1, -1, 1])
        let emb = Embedding(count: 3, dimensions: 2, key: RandomKey(seed: 1))
        try emb.update(parameters: ["weight": Tensor([0, 1, 2, 3, 4, 5], shape: [3, 2])])
        XCTAssertEqual(try emb(Tensor(int32: [2, 0])).toArray(), [4, 5, 0, 1])
    }

    func testSequentialAppliesInOrder() throws {
        let a = Linear(1, 1, key: RandomKey(seed: 1)), b = Linear(1, 1, key: RandomKey(seed: 2))
        try a.update(parameters: ["weight": Tensor([2], shape: [1, 1]), "bias": Tensor([1])])
        try b.update(parameters: ["weight": Tensor([3], shape: [1, 1]), "bias": Tensor([0])])
        XCTAssertEqual(try Sequential([a, SiLU(), b])(Tensor([0], shape: [1, 1])).item(), 3 * 1 / (1 + exp(-1)), accuracy: 1e-6)
    }
}
