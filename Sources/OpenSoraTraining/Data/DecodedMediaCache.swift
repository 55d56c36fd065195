// Added (not in the reference): decoded files kept in memory across epochs. Each read otherwise starts ffprobe and
// ffmpeg (≈ 0.27 s of CPU for a 64×64 clip here), which on a small dataset read for many epochs costs more than the
// step; the decoded bytes are what a read would give again, so results do not change.
import Foundation

/// Decoded media by path, up to a byte budget (files past it are decoded on every read). Thread-safe: the loader's
/// workers share it.
public final class DecodedMediaCache: @unchecked Sendable {
    public let budgetBytes: Int
    private var entries = [String: DecodedMedia]()
    private var used = 0
    private let lock = NSLock()

    public init(megabytes: Int) { budgetBytes = max(0, megabytes) * 1_048_576 }

    /// Bytes held now.
    public var heldBytes: Int { lock.withLock { used } }

    func media(_ path: String, kind: MediaKind) throws -> DecodedMedia {
        if let hit = lock.withLock({ entries[path] }) { return hit }
        let media = try DecodedMedia.decode(path, kind: kind)
        lock.withLock {
            if entries[path] == nil, used + media.bytes.count <= budgetBytes {
                entries[path] = media
                used += media.bytes.count
            }
        }
        return media
    }
}
