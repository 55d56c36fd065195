// Reference: opensora/utils/train_utils.py@v1.2.0 (MaskGenerator.__init__'s valid_mask_names); spec/training.md §8.

/// The kinds of frame mask the reference trains with, spelled as its config keys ("intepolate" sic).
public enum MaskType: String, CaseIterable, Codable, Sendable {
    case identity
    case quarterRandom = "quarter_random"
    case quarterHead = "quarter_head"
    case quarterTail = "quarter_tail"
    case quarterHeadTail = "quarter_head_tail"
    case imageRandom = "image_random"
    case imageHead = "image_head"
    case imageTail = "image_tail"
    case imageHeadTail = "image_head_tail"
    case random
    /// The reference's spelling of "interpolate"; configs must use it.
    case intepolate

    /// The quarter types draw a condition length in 1...T//4, so they need T ≥ 4.
    public var drawsQuarterLength: Bool {
        switch self {
        case .quarterRandom, .quarterHead, .quarterTail, .quarterHeadTail: true
        default: false
        }
    }
}
