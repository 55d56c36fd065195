import Foundation
import OpenSora
@testable import OpenSoraServer
import XCTest

/// The page at `/` in a real headless Chromium against the real `opensora serve` on loopback, on a phone-sized
/// window: type a prompt, submit, watch the progress bar move, see the video element play the finished MP4,
/// load its settings back from the gallery, and animate a generated image.
final class WebPageBrowserTests: XCTestCase {
    func testAVideoMadeThroughThePagePlaysAndItsSettingsComeBack() throws {
        let data = try temporaryDataDirectory()
        let served = try serve((data as NSString).appendingPathComponent("state"), log: (data as NSString).appendingPathComponent("serve.log"))
        defer { if served.process.isRunning { kill(served.process.processIdentifier, SIGKILL) } }
        let browser = try WebDriver(port: try FreePorts.loopback(1)[0])
        defer { browser.quit() }
        try browser.open("http://127.0.0.1:\(served.port)/")

        try browser.type("a red circle moving left", into: "#prompt")
        // 144p at 9:16, four steps, the model's own length where it has one (else 2 s), seed 9.
        _ = try browser.run("""
            document.querySelector('input[name=resolution][value="144p"]').click();
            document.querySelector('input[name=aspect_ratio][value="9:16"]').click();
            const length = document.querySelector('input[name=length][value=model]') || document.querySelector('input[name=length][value="2s"]');
            length.click();
            for (const [id, v] of [['num_sampling_steps', 4], ['seed', 9]]) {
              const s = document.getElementById(id); s.value = v; s.dispatchEvent(new Event('input'));
            }
            """)
        try browser.click("#generate")

        // The bar moves: some reading strictly between empty and full, then the end.
        var partial = false
        try browser.wait("the job to finish", timeout: 180,
                         "const p = document.getElementById('progress'); return [p.value, p.max, document.getElementById('status').textContent];") {
            guard let v = $0 as? [Any], let value = v[0] as? Double, let max = v[1] as? Double, let text = v[2] as? String else { return false }
            if value > 0, value < max { partial = true }
            XCTAssertFalse(text.contains("failed"), text)
            return text.hasPrefix("done:")
        }
        XCTAssertTrue(partial, "the progress bar never showed a step between the first and the last")

        // The video element plays the MP4: decoded, with a duration, and its clock running.
        let playing = try browser.wait("the video to play", timeout: 30,
                                       "const v = document.getElementById('player'); return [v.readyState, v.duration, v.currentTime, v.videoWidth, v.videoHeight];") {
            guard let v = $0 as? [Any], let t = v[2] as? Double else { return false }
            return t > 0
        } as? [Any]
        XCTAssertEqual(playing?[3] as? Int, 256)
        XCTAssertEqual(playing?[4] as? Int, 144)
        XCTAssertGreaterThan(playing?[1] as? Double ?? 0, 0)

        // The gallery lists it; "Use these settings" puts its prompt, steps and seed back into the form.
        try browser.wait("the gallery", timeout: 30, "return document.querySelectorAll('#gallery .reuse').length;") { ($0 as? Int ?? 0) > 0 }
        _ = try browser.run("""
            document.getElementById('prompt').value = 'something else';
            for (const id of ['num_sampling_steps', 'seed']) { const s = document.getElementById(id); s.value = 1; s.dispatchEvent(new Event('input')); }
            """)
        try browser.click("#gallery .reuse")
        let form = try browser.run("return [document.getElementById('prompt').value, document.getElementById('num_sampling_steps').value, document.getElementById('seed').value, document.querySelector('input[name=resolution]:checked').value];") as? [Any]
        XCTAssertEqual(form?.compactMap { $0 as? String }, ["a red circle moving left", "4", "9", "144p"])

        // "Generate image", then a video that starts from it (the demo's image-then-animate), sent as a multipart upload.
        try browser.click("#generate-image")
        try browser.wait("the image to be the reference", timeout: 120, "return document.getElementById('reference-note').textContent;") {
            ($0 as? String) == "using the generated image"
        }
        try browser.click("#generate")
        try browser.wait("the animated video", timeout: 180, "return document.getElementById('status').textContent;") {
            (($0 as? String) ?? "").hasPrefix("done: ") && !(($0 as? String) ?? "").contains("done: 1 frames")
        }
        let listing = object(try curl(["http://127.0.0.1:\(served.port)/v1/videos?limit=100"]).body)["data"] as? [[String: Any]] ?? []
        let animated = listing.compactMap { $0["options"] as? [String: Any] }.filter { $0["reference"] is String }
        XCTAssertEqual(animated.count, 1, "\(listing)")
        XCTAssertEqual(animated.first?["mask_strategy"] as? String, "0,0,0,0,1,0.0")
        XCTAssertEqual(animated.first?["reference"] as? String, "png image 256×144", "the generated image, checked by content")

        // Phone-sized: nothing wider than the window.
        let widths = try browser.run("return [document.documentElement.scrollWidth, window.innerWidth];") as? [Int]
        XCTAssertLessThanOrEqual(widths?[0] ?? .max, widths?[1] ?? 0, "the page scrolls sideways at 390 px")
    }

    /// The page's choices and defaults are the server's: the model's generation defaults, the demo's otherwise.
    func testThePageOffersTheModelsDefaults() throws {
        var defaults = GenerationDefaults()
        defaults.resolution = Resolution(rawValue: "64")
        defaults.aspectRatio = AspectRatio(rawValue: "1:1")
        defaults.numFrames = 17
        defaults.fps = 8
        defaults.aesNone = true
        let controls = WebPage.controls(defaults: defaults)
        XCTAssertEqual(controls.resolutions.first, "64")
        XCTAssertEqual(controls.defaults.num_frames, 17)
        XCTAssertEqual(controls.defaults.fps, 8)
        XCTAssertFalse(controls.defaults.aes_enabled)
        let demo = WebPage.controls(defaults: nil)
        XCTAssertEqual(demo.resolutions, ["144p", "240p", "360p", "480p", "720p"])
        XCTAssertEqual([demo.defaults.resolution, demo.defaults.aspect_ratio], ["480p", "9:16"])
        XCTAssertEqual(demo.defaults.num_sampling_steps, 30)
        XCTAssertTrue(WebPage.html(defaults: nil).contains(#""camera_motions":["pan right""#))
    }
}
