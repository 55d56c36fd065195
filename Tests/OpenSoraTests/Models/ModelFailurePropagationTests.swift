import MLXTensor
import NN
@testable import OpenSora
import XCTest

/// A failed input (no array, shape []) pushed through every model block comes out as the same
/// failure (returned or thrown), never a trap on reading its shape.
final class ModelFailurePropagationTests: XCTestCase {
    static let failure = TensorError.invalidArgument("[upstream] the input was never built")
    var failed: Tensor { Tensor(failure: Self.failure) }

    func testSTDiT3Blocks() throws {
        var k = KeySequence(RandomKey(seed: 61))
        let c = 16, heads = 2
        let rope = RotaryEmbedding(dimensions: c / heads)
        let caption = CaptionTokens(Tensor.zeros([1, 3, c]), mask: nil)
        let conditioning = BlockConditioning(t: Tensor.zeros([1, 6 * c]))
        let cross = CrossAttention(dimensions: c, headCount: heads, key: k.next())
        let size = SizeEmbedder(hiddenSize: c, key: k.next())
        let final = FinalLayer(hiddenSize: c, patchVolume: 4, outChannels: 8, key: k.next())
        let spatial = STDiT3Block(hiddenSize: c, headCount: heads, mlpHiddenSize: 2 * c, qkNorm: true, axis: .spatial, rope: nil,
                                  key: k.next())
        let temporal = STDiT3Block(hiddenSize: c, headCount: heads, mlpHiddenSize: 2 * c, qkNorm: true, axis: .temporal, rope: rope,
                                   key: k.next())
        let zeros = Tensor.zeros([1, 3, c])
        var blocks = [(String, (Tensor) -> Tensor)]()
        blocks.append(("PatchEmbed3D", PatchEmbed3D(patchSize: [1, 2, 2], inChannels: 4, hiddenSize: c, key: k.next()).callAsFunction))
        blocks.append(("TimestepEmbedder", TimestepEmbedder(hiddenSize: c, key: k.next()).callAsFunction))
        blocks.append(("SizeEmbedder", { size($0, batch: 1) }))
        let captionEmbedder = CaptionEmbedder(captionChannels: 8, hiddenSize: c, tokenCount: 3, dropProbability: 0.1, key: k.next())
        blocks.append(("CaptionEmbedder", { captionEmbedder($0) }))
        blocks.append(("SelfAttention", SelfAttention(dimensions: c, headCount: heads, qkNorm: true, rope: rope, key: k.next()).callAsFunction))
        blocks.append(("CrossAttention(caption:)", { cross($0, caption: caption) }))
        blocks.append(("CrossAttention(condition:)", { cross($0, condition: zeros, mask: nil) }))
        blocks.append(("CrossAttention(packedCondition:)", { cross($0, packedCondition: zeros, lengths: [3]) }))
        blocks.append(("CrossAttention, failed condition", { cross(Tensor.zeros([1, 2, c]), condition: $0, mask: nil) }))
        blocks.append(("FeedForward", FeedForward(inputDimensions: c, hiddenDimensions: 2 * c, key: k.next()).callAsFunction))
        blocks.append(("FinalLayer", { final($0, t: Tensor.zeros([1, c]), frames: 1, tokensPerFrame: 2) }))
        blocks.append(("RotaryEmbedding", rope.callAsFunction))
        blocks.append(("STDiT3Block(spatial)", { spatial($0, caption: caption, conditioning: conditioning, frames: 1, tokensPerFrame: 2) }))
        blocks.append(("STDiT3Block(temporal)", { temporal($0, caption: caption, conditioning: conditioning, frames: 1, tokensPerFrame: 2) }))
        assertPassesFailureOn(blocks)

        let model = try STDiT3(.tiny, key: k.next())
        XCTAssertThrowsError(try model(failed, timestep: Tensor([1]), caption: Tensor.zeros([1, 1, 8, 32]), fps: Tensor([24]),
                                       height: 16, width: 16)) { XCTAssertEqual($0 as? TensorError, Self.failure) }
    }

    func testVAEBlocks() throws {
        var k = KeySequence(RandomKey(seed: 62))
        let spatial = SpatialVAEConfig.tiny, temporal = TemporalVAEConfig.tiny
        let autoencoder = AutoencoderKL(spatial, key: k.next())
        let temporalVAE = try TemporalVAE(temporal, key: k.next())
        let blocks: [(String, (Tensor) -> Tensor)] = [
            ("CausalConv3d", CausalConv3d(4, 4, kernel: [3, 3, 3], key: k.next()).callAsFunction),
            ("TemporalResBlock", TemporalResBlock(inChannels: 4, outChannels: 8, groups: 2, key: k.next()).callAsFunction),
            ("TemporalResStack", TemporalResStack(inChannels: 4, outChannels: 4, count: 2, groups: 2, key: k.next()).callAsFunction),
            ("TemporalEncoder", TemporalEncoder(temporal, key: k.next()).callAsFunction),
            ("TemporalDecoder", TemporalDecoder(temporal, key: k.next()).callAsFunction),
            ("TemporalVAE.encode", { temporalVAE.encode($0).mean }),
            ("TemporalVAE.encode (logvar)", { temporalVAE.encode($0).logvar }),
            ("TemporalVAE.decode", { temporalVAE.decode($0, numFrames: 4) }),
            ("ResnetBlock2D", ResnetBlock2D(inChannels: 4, outChannels: 8, groups: 2, key: k.next()).callAsFunction),
            ("Downsample2D", Downsample2D(channels: 4, key: k.next()).callAsFunction),
            ("Upsample2D", Upsample2D(channels: 4, key: k.next()).callAsFunction),
            ("AttentionBlock2D", AttentionBlock2D(channels: 4, groups: 2, key: k.next()).callAsFunction),
            ("DownEncoderBlock2D", DownEncoderBlock2D(inChannels: 4, outChannels: 4, layers: 1, groups: 2, downsample: true,
                                                      key: k.next()).callAsFunction),
            ("UpDecoderBlock2D", UpDecoderBlock2D(inChannels: 4, outChannels: 4, layers: 1, groups: 2, upsample: true,
                                                  key: k.next()).callAsFunction),
            ("MidBlock2D", MidBlock2D(channels: 4, groups: 2, key: k.next()).callAsFunction),
            ("Encoder2D", autoencoder.encoder.callAsFunction),
            ("Decoder2D", autoencoder.decoder.callAsFunction),
            ("AutoencoderKL.encode", { autoencoder.encode($0).mean }),
            ("AutoencoderKL.decode", autoencoder.decode),
            ("DiagonalGaussian.sample", { DiagonalGaussian(moments: $0, axis: 1).sample(noise: Tensor.zeros([1])) }),
        ]
        assertPassesFailureOn(blocks)

        let kl = try VideoAutoencoderKL(spatial, key: k.next())
        let video = try VideoVAE(.tiny, key: k.next())
        let throwing: [(String, () throws -> Tensor)] = [
            ("VideoAutoencoderKL.posterior", { try kl.posterior(self.failed).mean }),
            ("VideoAutoencoderKL.encode", { try kl.encode(self.failed, noise: Tensor.zeros([1])) }),
            ("VideoAutoencoderKL.decode", { try kl.decode(self.failed) }),
            ("VideoVAE.encode", { try video.encode(self.failed, key: RandomKey(seed: 1)) }),
            ("VideoVAE.decode", { try video.decode(self.failed, numFrames: 4) }),
        ]
        assertThrowsFailure(throwing)
    }

    func testT5Blocks() throws {
        var k = KeySequence(RandomKey(seed: 63))
        let c = T5Config.tiny
        let bias = Tensor.zeros([1, c.headCount, 3, 3])
        let attention = T5Attention(c, hasRelativeBias: true, key: k.next())
        let attentionLayer = T5SelfAttentionLayer(c, hasRelativeBias: false, key: k.next())
        let block = T5Block(c, hasRelativeBias: true, key: k.next())
        let blocks: [(String, (Tensor) -> Tensor)] = [
            ("T5Attention", { attention($0, bias: bias) }),
            ("T5SelfAttentionLayer", { attentionLayer($0, bias: bias) }),
            ("T5FeedForward", T5FeedForward(c, key: k.next()).callAsFunction),
            ("T5FeedForwardLayer", T5FeedForwardLayer(c, key: k.next()).callAsFunction),
            ("T5Block", { block($0, bias: bias) }),
        ]
        assertPassesFailureOn(blocks)
        let model = try T5EncoderModel(c, key: k.next())
        assertThrowsFailure([
            ("T5EncoderModel(ids:)", { try model(ids: self.failed, mask: Tensor(int32: [1], shape: [1, 1])) }),
            ("T5EncoderModel(mask:)", { try model(ids: Tensor(int32: [1], shape: [1, 1]), mask: self.failed) }),
        ])
    }

    private func assertPassesFailureOn(_ blocks: [(String, (Tensor) -> Tensor)], file: StaticString = #filePath, line: UInt = #line) {
        for (name, block) in blocks {
            XCTAssertEqual(block(failed).failure, Self.failure, name, file: file, line: line)
        }
    }

    private func assertThrowsFailure(_ calls: [(String, () throws -> Tensor)], file: StaticString = #filePath, line: UInt = #line) {
        for (name, call) in calls {
            XCTAssertThrowsError(try call(), name, file: file, line: line) {
                XCTAssertEqual($0 as? TensorError, Self.failure, name, file: file, line: line)
            }
        }
    }
}
