import Foundation
import MLXTensor
import NN

/// The peak memory of a request, estimated before anything is allocated, so a request that cannot fit
/// (`--num-frames 1000000`) is refused at once with the figures instead of running until it is killed.
/// Each term is an upper-bound model of one stage; stages run one after another, so the peak is the
/// resident weights plus the largest stage plus the finished frames held for writing.
public struct MemoryEstimate: Equatable, Sendable, CustomStringConvertible {
    public var weights: Int
    public var sampling: Int
    public var decoding: Int
    public var frames: Int

    public var peak: Int { weights + max(sampling, decoding) + frames }

    /// Bytes a request may use: `OPENSORA_MEMORY_LIMIT` (bytes or with K/M/G) or the physical memory.
    public static var limit: (bytes: Int, source: String) {
        if let text = ProcessInfo.processInfo.environment["OPENSORA_MEMORY_LIMIT"], let bytes = parseBytes(text) {
            return (bytes, "OPENSORA_MEMORY_LIMIT")
        }
        return (Int(clamping: ProcessInfo.processInfo.physicalMemory), "physical memory; set OPENSORA_MEMORY_LIMIT to change it")
    }

    static func parseBytes(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [Character: Double] = ["K": 0x1p10, "M": 0x1p20, "G": 0x1p30, "T": 0x1p40]
        let (digits, scale) = t.last.flatMap { units[$0] }.map { (String(t.dropLast()), $0) } ?? (t, 1)
        guard let v = Double(digits), v.isFinite, v > 0 else { return nil }
        return Int(exactly: (v * scale).rounded()) ?? nil
    }

    /// Throws when the peak exceeds `limit`, naming the estimate, each term and the limit.
    public func check(limit: (bytes: Int, source: String) = MemoryEstimate.limit) throws {
        guard peak <= limit.bytes else {
            throw OpenSoraError.invalidInput("this request needs about \(Self.gigabytes(peak)) (\(self)), more than the "
                + "\(Self.gigabytes(limit.bytes)) allowed (\(limit.source)): lower --num-frames, --resolution, --batch-size or --loop")
        }
    }

    public var description: String {
        "weights \(Self.gigabytes(weights)), sampling \(Self.gigabytes(sampling)), decoding \(Self.gigabytes(decoding)), "
            + "frames \(Self.gigabytes(frames))"
    }

    static func gigabytes(_ bytes: Int) -> String { String(format: "%.2f GB", Double(bytes) / Double(1 << 30)) }

    /// The estimate for `request` on `models`. Saturating arithmetic: absurd requests give huge
    /// estimates, never an overflow trap.
    public static func generation(_ request: GenerationRequest, models: ModelBundle) -> MemoryEstimate {
        let vae = models.vae.config, stdit = models.denoiser.config
        let latent = vae.latentSize(frames: request.numFrames, height: request.size.height, width: request.size.width)
        let b = request.batchSize
        let tokensPerFrame = product(ceilDiv(latent.height, stdit.patchSize[1]), ceilDiv(latent.width, stdit.patchSize[2]))
        let frames = ceilDiv(latent.frames, stdit.patchSize[0])
        let tokens = product(frames, tokensPerFrame)
        let c = stdit.hiddenSize
        // A block's live activations over the CFG batch (x, residual, qkv, attention, MLP at 4C, their
        // temporaries: ~16 C-wide rows per token), plus one attention score matrix per thread (the CPU
        // kernel works head by head) or the whole [2B·T, heads, S, S] tensor when MLX's own op runs.
        let rows = product(2 * b, tokens, c, 16, 4)
        let scoreElements = CPUKernels.enabled
            ? product(4, max(product(tokensPerFrame, tokensPerFrame), product(frames, frames)))
            : product(2 * b, stdit.headCount, max(product(frames, tokensPerFrame, tokensPerFrame), product(tokensPerFrame, frames, frames)))
        let latents = product(8, b, models.vae.latentChannels, latent.frames, latent.height, latent.width, 4)
        let sampling = saturatingSum([rows, product(scoreElements, 4), latents])
        // The decoder runs one micro-batch of frames at full resolution at a time: ~700 floats per
        // pixel in flight (measured: 51 frames at 240p peak 1.1 GB above the weights), then the
        // decoded clip [B, 3, T, H, W] in float32.
        let pixels = product(request.size.height, request.size.width)
        let inFlight = product(vae.microBatchSize ?? 4, pixels, 700, 4)
        let decoded = product(b, 3, request.numFrames, pixels, 4)
        let decoding = saturatingSum([inFlight, decoded])
        // The finished videos of a batch: every loop's frames as uint8 RGB, twice while joined.
        let totalFrames = saturatingSum([request.numFrames, product(request.loops - 1, request.numFrames)])
        let held = product(2, b, totalFrames, pixels, 3)
        let weights = saturatingSum((models.denoiser.namedParameters() + models.vae.namedParameters()).map { product($0.1.count, $0.1.dtype.size) })
        return MemoryEstimate(weights: weights, sampling: sampling, decoding: decoding, frames: held)
    }

    static func ceilDiv(_ a: Int, _ b: Int) -> Int { b > 0 ? (a + b - 1) / b : a }

    static func product(_ factors: Int...) -> Int { product(factors) }

    static func product(_ factors: [Int]) -> Int {
        factors.reduce(1) { acc, f in
            let (v, overflow) = acc.multipliedReportingOverflow(by: max(f, 0))
            return overflow ? Int.max : v
        }
    }

    static func saturatingSum(_ terms: [Int]) -> Int {
        terms.reduce(0) { acc, t in
            let (v, overflow) = acc.addingReportingOverflow(t)
            return overflow ? Int.max : v
        }
    }
}
