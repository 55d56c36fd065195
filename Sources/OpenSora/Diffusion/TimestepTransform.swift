// Reference: opensora/schedulers/rf/rectified_flow.py@v1.2.0 (timestep_transform); spec/rectified_flow.md §5.

/// The resolution- and length-aware shift of timesteps toward noise:
/// ratio = √(H·W/512²)·√(F)·scale with F = 1 for images (decided by the first sample) else
/// num_frames // 17 · 5; t' = ratio·u/(1 + (ratio − 1)·u)·1000 with u = t/1000.
///
/// Computed in float32 in the reference's operation order: the first sampling step must come out
/// exactly as the reference's (1000 or 1000.0001) because masked sampling compares it with mask·1000.
public enum TimestepTransform {
    /// One value per sample: `t`, `height`, `width`, `numFrames` all have the batch's length.
    public static func apply(_ t: [Float], height: [Float], width: [Float], numFrames: [Float], scale: Float = 1,
                             baseResolution: Float = 262_144, baseFrames: Float = 1, timestepCount: Float = 1000) -> [Float] {
        let isImage = numFrames.first == 1
        return t.indices.map { i in
            let u = t[i] / timestepCount
            let resolution = height[i] * width[i]
            let ratioSpace = (resolution / baseResolution).squareRoot()
            let frames: Float = isImage ? 1 : (numFrames[i] / 17).rounded(.down) * 5
            let ratioTime = (frames / baseFrames).squareRoot()
            let ratio = ratioSpace * ratioTime * scale
            let shifted = ratio * u / (1 + (ratio - 1) * u)
            return shifted * timestepCount
        }
    }
}
