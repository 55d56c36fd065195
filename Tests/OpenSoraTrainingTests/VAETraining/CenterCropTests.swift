import OpenSora
@testable import OpenSoraTraining
import XCTest

/// VideoTextDataset's `center` transform (images through ADM's crop) and image repetition, on inputs whose results
/// can be worked out by hand.
final class CenterCropTests: XCTestCase {
    func testImagePlanHalvesWithBoxThenRoundsTheBicubicSize() {
        let (halvings, plan) = CenterCrop.imagePlan(source: VideoSize(height: 32, width: 48), side: 8)
        XCTAssertEqual(halvings, [VideoSize(height: 16, width: 24), VideoSize(height: 8, width: 12)])
        XCTAssertEqual(plan.scaled, VideoSize(height: 8, width: 12))
        XCTAssertEqual([plan.top, plan.left], [0, 2])
        let (none, small) = CenterCrop.imagePlan(source: VideoSize(height: 24, width: 40), side: 16)
        XCTAssertEqual(none, [])
        XCTAssertEqual(small.scaled, VideoSize(height: 16, width: 27))  // round(40 · 2/3 = 26.67)
        XCTAssertEqual(small.left, 5)  // (27 − 16) // 2
    }

    func testVideoDownscaleAveragesTwoByTwoAndCropsTheCentre() throws {
        let clips = try ClipFolder()
        let size = VideoSize(height: 16, width: 24)
        func byte(_ f: Int, _ y: Int, _ x: Int, _ c: Int) -> UInt8 { UInt8(5 * x + 3 * y + 20 * c + 4 * f) }
        try clips.video("v.mkv", frames: 4, size: size, pattern: byte)
        let table = DatasetTable(rows: [DatasetRow(path: clips.file("v.mkv"), text: "", numFrames: 4, height: 16, width: 24)])
        let dataset = try TrainingDataset(table: table, transform: .centre, repeatsImages: true)
        var random = NumPyRandom(seed: 0)
        let sample = try dataset.sample(row: 0, shape: BucketShape(frameCount: 3, size: VideoSize(height: 8, width: 8)), random: &random).get()
        XCTAssertEqual(sample.pixels.count, 3 * 3 * 8 * 8)
        for c in 0..<3 { for t in 0..<3 { for y in 0..<8 { for x in 0..<8 {
            let f = sample.frameIndices[t], sx = 2 * (x + 2)
            let mean = [(2 * y, sx), (2 * y, sx + 1), (2 * y + 1, sx), (2 * y + 1, sx + 1)]
                .map { Float(byte(f, $0.0, $0.1, c)) / 255 }.reduce(0, +) / 4
            XCTAssertEqual(sample.pixels[((c * 3 + t) * 8 + y) * 8 + x], (mean - 0.5) / 0.5, accuracy: 1e-5)
        } } } }
    }

    /// Two BOX halvings of a linear ramp stay exact (v = 2x + 4y → 4x + 8y + 3 → 8x + 16y + 9); the image is then
    /// repeated to every frame.
    func testImageIsHalvedCroppedAndRepeatedToEveryFrame() throws {
        let clips = try ClipFolder()
        try clips.image("i.png", size: VideoSize(height: 32, width: 48)) { y, x, c in UInt8(2 * x + 4 * y + c) }
        let table = DatasetTable(rows: [DatasetRow(path: clips.file("i.png"), text: "", numFrames: 1, height: 32, width: 48)])
        let shape = BucketShape(frameCount: 5, size: VideoSize(height: 8, width: 8))
        var random = NumPyRandom(seed: 0)
        let sample = try TrainingDataset(table: table, transform: .centre, repeatsImages: true).sample(row: 0, shape: shape, random: &random).get()
        XCTAssertEqual(sample.numFrames, 5)
        XCTAssertEqual(sample.pixels.count, 3 * 5 * 8 * 8)
        for c in 0..<3 { for t in 0..<5 { for y in 0..<8 { for x in 0..<8 {
            let expected = Float(8 * (x + 2) + 16 * y + 9 + c) / 255
            XCTAssertEqual(sample.pixels[((c * 5 + t) * 8 + y) * 8 + x], (expected - 0.5) / 0.5, accuracy: 1e-6)
        } } } }
        // The bucketed dataset keeps an image one frame.
        var again = NumPyRandom(seed: 0)
        XCTAssertEqual(try TrainingDataset(table: table, transform: .centre).sample(row: 0, shape: shape, random: &again).get().pixels.count, 3 * 8 * 8)
    }

    func testRepeatingFrameKeepsChannelFirstOrder() {
        XCTAssertEqual(TrainingDataset.repeatingFrame([1, 2, 3, 4, 5, 6], count: 2), [1, 2, 1, 2, 3, 4, 3, 4, 5, 6, 5, 6])
    }
}
