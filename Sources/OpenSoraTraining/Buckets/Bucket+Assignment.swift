// Reference: opensora/datasets/bucket.py@v1.2.0 (Bucket.get_bucket_id); spec/training.md §4.3.
import OpenSora

/// One `default_rng(seed)` the lookup drew from, and its draws in order (the fixture's `rng` trace).
public struct RandomDraws: Equatable, Sendable {
    public var seed: UInt64
    public var values: [Double]
}

/// A lookup's result with the draws that decided it.
public struct BucketAssignment: Equatable, Sendable {
    /// nil: the sample is dropped this epoch.
    public var id: BucketID?
    public var draws: [RandomDraws]
}

extension Bucket {
    /// A sample reaches a resolution with at least this share of its nominal pixels (`approx = 0.8`).
    public static let pixelApproximation = 0.8

    /// `get_bucket_id(T, H, W, frame_interval, seed)`: the bucket a sample goes to, or nil.
    public func bucketID(numFrames: Int, height: Int, width: Int, frameInterval: Int = 1, seed: UInt64) throws -> BucketID? {
        try assignment(numFrames: numFrames, height: height, width: width, frameInterval: frameInterval, seed: seed).id
    }

    /// The lookup, in the reference's order: resolutions from the largest the sample reaches (≥ 0.8 of the
    /// nominal pixels); images only take the `1` bucket, then (rejected) fall into the video search, which
    /// never matches them; a video takes the longest length strictly shorter than `numFrames` (in source
    /// frames, × frame interval), a tuple keep may skip a length, and the resolution keep is a second draw of
    /// that length's generator. Every generator is a fresh `default_rng(seed + running index)`.
    public func assignment(numFrames t: Int, height h: Int, width w: Int, frameInterval: Int = 1, seed: UInt64) throws -> BucketAssignment {
        guard frameInterval >= 1 else { throw BucketError.invalidFrameInterval(frameInterval) }
        var log = [RandomDraws]()
        func draw(_ generator: inout (NumPyRandom, slot: Int?), seed s: UInt64) -> Double {
            let v = generator.0.random()
            if let slot = generator.slot {
                log[slot].values.append(v)
            } else {
                generator.slot = log.count
                log.append(RandomDraws(seed: s, values: [v]))
            }
            return v
        }
        func seeded(_ index: Int) throws -> UInt64 {
            let (s, overflow) = seed.addingReportingOverflow(UInt64(index))
            guard !overflow else { throw BucketError.seedOverflow(seed: seed, offset: index) }
            return s
        }
        // Python compares the int H·W with the float `pixels * approx` exactly; both are exact doubles here.
        let pixels = Double(h) * Double(w)
        var chosen: (level: Level, frameCount: Int)?
        search: for level in levels {
            if pixels < Double(level.pixelCount) * Self.pixelApproximation { continue }
            if t == 1 {
                guard let image = level.frame(1) else { continue }
                let s = try seeded(image.index)
                var g = (NumPyRandom(seed: s), slot: Int?.none)
                if draw(&g, seed: s) < image.entry.keep.resolutionKeep {
                    chosen = (level, 1)
                    break search
                }
            }
            var found: (entry: BucketConfig.FrameBucket, generator: (NumPyRandom, slot: Int?), seed: UInt64)?
            for f in level.frames {
                let s = try seeded(f.index)
                var g = (NumPyRandom(seed: s), slot: Int?.none)
                if let framesKeep = f.entry.keep.framesKeep, draw(&g, seed: s) > framesKeep { continue }
                let (span, overflow) = f.entry.frameCount.multipliedReportingOverflow(by: frameInterval)
                if !overflow && t > span && f.entry.frameCount != 1 {
                    found = (f.entry, g, s)
                    break
                }
            }
            guard var hit = found else { continue }
            let keep = hit.entry.keep.resolutionKeep
            if keep >= 1 || draw(&hit.generator, seed: hit.seed) < keep {
                chosen = (level, hit.entry.frameCount)
                break search
            }
        }
        guard let (level, frameCount) = chosen else { return BucketAssignment(id: nil, draws: log) }
        let key = try ResolutionTable.closestRatio(height: Double(h), width: Double(w), resolution: level.resolution.rawValue)
        return BucketAssignment(id: BucketID(resolution: level.resolution, frameCount: frameCount, aspectRatioKey: key), draws: log)
    }
}
