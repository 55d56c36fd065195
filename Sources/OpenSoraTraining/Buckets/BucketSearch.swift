// Reference: opensora/datasets/bucket.py@v1.2.0 (find_approximate_hw, find_closet_smaller_bucket,
// closet_smaller_bucket). The reference never calls them; they are kept for tools and the fixture.

/// The reference's stand-alone bucket searches over ordered tables.
public enum BucketSearch {
    /// `find_approximate_hw`: the first name (in the table's order) whose pixel count the sample reaches
    /// within `approx` (`hw >= v * approx`), or nil.
    public static func approximateResolution(pixels: Int, criteria: [(name: String, pixels: Int)], approx: Double = 0.8) -> String? {
        criteria.first { Double(pixels) >= Double($0.pixels) * approx }?.name
    }

    /// `find_closet_smaller_bucket`: an image (`t == 1`) gets 1 when the table has it; a video gets the
    /// first key (table order) with `t >= v · frame_interval` and `v != 1` — not strictly greater, unlike
    /// `Bucket.get_bucket_id`.
    public static func closestSmallerFrameBucket(_ t: Int, table: [(key: Int, frames: Int)], frameInterval: Int) -> Int? {
        if t == 1 { return table.contains { $0.frames == 1 } ? 1 : nil }
        return table.first {
            let (span, overflow) = $0.frames.multipliedReportingOverflow(by: frameInterval)
            return !overflow && t >= span && $0.frames != 1
        }?.key
    }

    /// `closet_smaller_bucket`: the entry before the first one above `value`, else the last; values below
    /// the second entry get the first (so 0 maps to the first, even if it is larger). Nil for an empty list.
    public static func closestSmallerValue(_ value: Int, in sorted: [Int]) -> Int? {
        for i in sorted.indices.dropFirst() where value < sorted[i] { return sorted[i - 1] }
        return sorted.last
    }
}
