import MLXTensor
import NN
import XCTest

/// A failed input (no array, shape []) must come out of every public layer as the same failure,
/// never trap on reading its shape (DESIGN: errors never trap).
final class FailurePropagationTests: XCTestCase {
    static let failure = TensorError.invalidArgument("[upstream] the input was never built")

    func testEveryLayerPassesAFailedInputOn() {
        let keys = RandomKey(seed: 7).split(into: 4)
        let conv = Convolution(3, 4, kernelSize: [3, 3], padding: [1, 1], key: keys[1])
        let layers: [(String, (Tensor) -> Tensor)] = [
            ("Linear", Linear(4, 2, key: keys[0]).callAsFunction),
            ("Linear(bias: false)", Linear(4, 2, bias: false, key: keys[0]).callAsFunction),
            ("Convolution", conv.callAsFunction),
            ("Convolution(adding:)", { conv($0, adding: Tensor.zeros([1, 2, 2, 4])) }),
            ("Embedding", Embedding(count: 5, dimensions: 3, key: keys[2]).callAsFunction),
            ("GroupNorm", GroupNorm(groups: 2, channels: 4).callAsFunction),
            ("GroupNorm.withSiLU", GroupNorm(groups: 2, channels: 4).withSiLU),
            ("LayerNorm", LayerNorm(4).callAsFunction),
            ("LayerNorm(affine: false)", LayerNorm(4, affine: false).callAsFunction),
            ("RMSNorm", RMSNorm(4).callAsFunction),
            ("SiLU", SiLU().callAsFunction),
            ("GELU", GELU().callAsFunction),
            ("GELU(tanh)", GELU(approximation: .tanh).callAsFunction),
            ("Identity", Identity().callAsFunction),
            ("Sequential", Sequential([Linear(4, 8, key: keys[3]), SiLU(), Linear(8, 4, key: keys[0])]).callAsFunction),
        ]
        for (name, layer) in layers {
            XCTAssertEqual(layer(Tensor(failure: Self.failure)).failure, Self.failure, name)
        }
    }

    func testAHealthyInputOfTheWrongShapeFailsWithTheLayersMessage() {
        // The guard must not swallow real shape errors: Linear still names its expected width.
        let y = Linear(4, 2, key: RandomKey(seed: 1))(Tensor.zeros([3]))
        XCTAssertTrue("\(y.failure.map { "\($0)" } ?? "no failure")".contains("expected 4"))
    }
}
