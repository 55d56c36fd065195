// Added (not in the reference): `opensora eval shapes` (issue 15): generate for prompts of the shapes grammar and score
// the videos with `ShapeDetector`; image-to-video from the first frames of ground-truth clips; the VAE on held-out clips.
import Foundation
import MLXTensor
import OpenSora

public struct ShapesEvaluation {
    public let pipeline: GenerationPipeline
    /// The request every generation starts from (size, length, steps, guidance, seed).
    public let template: GenerationRequest
    public let samplesPerPrompt: Int

    public init(pipeline: GenerationPipeline, template: GenerationRequest, samplesPerPrompt: Int) {
        self.pipeline = pipeline
        self.template = template
        self.samplesPerPrompt = samplesPerPrompt
    }

    /// The prompts as captions of the grammar; any other prompt is refused with its line.
    public static func captions(_ prompts: [String]) throws -> [ShapeCaption] {
        try prompts.enumerated().map { i, p in
            guard let c = ShapeCaption(parsing: p) else {
                throw OpenSoraError.invalidInput("eval shapes: prompt \(i + 1) '\(p)' is not 'a {color} {shape} moving {direction}' with colour in "
                    + "\(ShapeColor.allCases.map(\.rawValue).joined(separator: "/")), shape in \(ShapeKind.allCases.map(\.rawValue).joined(separator: "/")), "
                    + "direction in \(MotionDirection.allCases.map(\.rawValue).joined(separator: "/"))")
            }
            return c
        }
    }

    /// Text to video: every prompt, `samplesPerPrompt` samples each (in one request, so the seeds follow the request's).
    public func textToVideo(_ captions: [ShapeCaption], onSample: (ShapesReport.Sample) -> Void = { _ in }) throws -> [ShapesReport.Sample] {
        var request = template
        request.prompts = captions.map(\.text)
        request.sampleCount = samplesPerPrompt
        request.batchSize = min(captions.count, 8)
        var out = [ShapesReport.Sample]()
        try pipeline.engine.generate(request) { video in
            let s = Self.score(video.frames, caption: captions[video.prompt], mode: .textToVideo, sample: video.sample, reference: nil)
            out.append(s)
            onSample(s)
        }
        return out
    }

    /// Image to video: each clip's first frame (written as a PNG in `scratch`) conditions the first latent frame
    /// (mask strategy "0"), the clip's caption is the prompt; colour and shape must survive and the motion follow it.
    public func imageToVideo(clips: [(path: String, caption: ShapeCaption)], scratch: String,
                             onSample: (ShapesReport.Sample) -> Void = { _ in }) throws -> [ShapesReport.Sample] {
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        var out = [ShapesReport.Sample]()
        for (i, clip) in clips.enumerated() {
            let size = try VideoReader.probe(clip.path).size
            let first = try VideoReader.read(clip.path, size: size).slice(0..<1)
            let image = try VideoWriter.write(first, to: (scratch as NSString).appendingPathComponent("first-\(i)"), format: .mp4, fps: 1)
            var request = template
            request.prompts = [clip.caption.text]
            request.referencePaths = [image]
            request.maskStrategies = [try MaskStrategy(parsing: "0")]
            request.sampleCount = 1
            request.seed = template.seed &+ UInt64(i)
            try pipeline.engine.generate(request) { video in
                let s = Self.score(video.frames, caption: clip.caption, mode: .imageToVideo, sample: 0, reference: clip.path)
                out.append(s)
                onSample(s)
            }
        }
        return out
    }

    static func score(_ frames: VideoFrames, caption: ShapeCaption, mode: ShapesReport.Mode, sample: Int, reference: String?) -> ShapesReport.Sample {
        let d = ShapeDetector.detect(frames)
        let ok = d.agreement(with: caption)
        return ShapesReport.Sample(mode: mode, prompt: caption.text, sample: sample, reference: reference, detection: d,
                                   color: ok.color, shape: ok.shape, direction: ok.direction)
    }
}
