// Added (not in the reference): what `opensora eval shapes` writes (issue 15): the detector's agreement with the prompts.
import Foundation
import MLXTensor

public struct ShapesReport: Codable, Sendable {
    /// How a sample was made.
    public enum Mode: String, Codable, Sendable {
        case textToVideo = "t2v"
        /// Conditioned on the first frame of a ground-truth clip.
        case imageToVideo = "i2v"
    }

    public struct Sample: Codable, Sendable {
        public var mode: Mode
        public var prompt: String
        public var sample: Int
        /// The ground-truth clip whose first frame conditioned an i2v sample.
        public var reference: String?
        public var detection: ShapeDetection
        public var color: Bool
        public var shape: Bool
        public var direction: Bool
    }

    /// Shares of samples whose attribute matches the prompt.
    public struct Accuracy: Codable, Sendable {
        public var count: Int
        public var color: Double
        public var shape: Double
        public var direction: Double
        /// All three right.
        public var all: Double

        public init(_ samples: [Sample]) {
            count = samples.count
            func share(_ ok: (Sample) -> Bool) -> Double { samples.isEmpty ? 0 : Double(samples.filter(ok).count) / Double(samples.count) }
            color = share(\.color)
            shape = share(\.shape)
            direction = share(\.direction)
            all = share { $0.color && $0.shape && $0.direction }
        }
    }

    public struct Settings: Codable, Sendable {
        public var model: String
        public var prompts: String
        public var samplesPerPrompt: Int
        public var seed: UInt64
        public var steps: Int
        public var cfgScale: Float
        public var imageToVideoData: String?
        public var vaeData: String?

        public init(model: String, prompts: String, samplesPerPrompt: Int, seed: UInt64, steps: Int, cfgScale: Float,
                    imageToVideoData: String?, vaeData: String?) {
            (self.model, self.prompts, self.samplesPerPrompt, self.seed) = (model, prompts, samplesPerPrompt, seed)
            (self.steps, self.cfgScale, self.imageToVideoData, self.vaeData) = (steps, cfgScale, imageToVideoData, vaeData)
        }
    }

    public struct VAEQuality: Codable, Sendable {
        public var clips: Int
        public var psnr: Double
        public var ssim: Double

        public init(clips: Int, psnr: Double, ssim: Double) { (self.clips, self.psnr, self.ssim) = (clips, psnr, ssim) }
    }

    public var settings: Settings
    public var textToVideo: Accuracy
    public var imageToVideo: Accuracy?
    public var vae: VAEQuality?
    public var samples: [Sample]

    public init(settings: Settings, textToVideo: Accuracy, imageToVideo: Accuracy?, vae: VAEQuality?, samples: [Sample]) {
        (self.settings, self.textToVideo, self.imageToVideo, self.vae, self.samples) = (settings, textToVideo, imageToVideo, vae, samples)
    }

    enum CodingKeys: String, CodingKey {
        case settings, textToVideo = "t2v", imageToVideo = "i2v", vae, samples
    }

    /// The summary table.
    public var table: String {
        func pct(_ v: Double) -> String { String(format: "%6.1f %%", 100 * v) }
        var lines = ["             samples   colour    shape  direction      all"]
        func row(_ name: String, _ a: Accuracy) {
            lines.append(name.padding(toLength: 12, withPad: " ", startingAt: 0) + String(format: "%8d", a.count)
                         + " " + pct(a.color) + " " + pct(a.shape) + "   " + pct(a.direction) + " " + pct(a.all))
        }
        row("text→video", textToVideo)
        if let imageToVideo { row("image→video", imageToVideo) }
        if let vae { lines.append(String(format: "VAE reconstruction: PSNR %.2f dB, SSIM %.4f over %d held-out clips", vae.psnr, vae.ssim, vae.clips)) }
        return lines.joined(separator: "\n")
    }

    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: path)
    }
}
