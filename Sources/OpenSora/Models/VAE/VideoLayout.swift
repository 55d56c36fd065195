import MLXTensor

/// Conversions between the reference layout [B, C, T, H, W] used at public boundaries and the
/// channels-last layouts the convolutions run in (DESIGN.md, Conventions).
extension Tensor {
    /// [B, C, T, H, W] → [B, T, H, W, C]
    var channelsLast: Tensor { transposed(0, 2, 3, 4, 1) }
    /// [B, T, H, W, C] → [B, C, T, H, W]
    var channelsFirst: Tensor { transposed(0, 4, 1, 2, 3) }
}
