// Reference: opensora/utils/inference_utils.py@v1.2.0 (prepare_multi_resolution_info, "OpenSora"/"STDiT2");
// spec/inference.md §7.4.

/// The extra model arguments of a batch: nominal pixel size, pixel frame count, aspect ratio and the
/// fps condition (120 for images), one value per sample.
public struct ConditioningInfo: Equatable, Sendable {
    public static let imageFPS = 120

    public var height: [Float]
    public var width: [Float]
    public var numFrames: [Float]
    public var aspectRatio: [Float]
    public var fps: [Float]

    public init(batch: Int, size: VideoSize, numFrames: Int, fps: Int) {
        let condition = numFrames > 1 ? fps : Self.imageFPS
        height = Array(repeating: Float(size.height), count: batch)
        width = Array(repeating: Float(size.width), count: batch)
        self.numFrames = Array(repeating: Float(numFrames), count: batch)
        aspectRatio = Array(repeating: Float(Double(size.height) / Double(size.width)), count: batch)
        self.fps = Array(repeating: Float(condition), count: batch)
    }

    public var geometry: RectifiedFlowSampler.Geometry {
        RectifiedFlowSampler.Geometry(height: height, width: width, numFrames: numFrames)
    }
}
