import Foundation
import OpenSora

/// A W3C WebDriver session in Debian's headless Chromium (chromedriver on loopback): enough of the protocol to type,
/// click and read the page the way a user's browser runs it.
final class WebDriver {
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"
    let driver: Process
    let base: String
    private(set) var session = ""

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Starts chromedriver on `port` and a session on a phone-sized window.
    init(port: Int, width: Int = 390, height: Int = 844) throws {
        for tool in ["/usr/bin/chromium", "/usr/bin/chromedriver"] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw Failure(description: "\(tool) is missing (scripts/bootstrap.sh installs Debian's chromium and chromium-driver)")
        }
        driver = Process()
        driver.executableURL = URL(fileURLWithPath: "/usr/bin/chromedriver")
        driver.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        base = "http://127.0.0.1:\(port)"
        let deadline = Date().addingTimeInterval(30)
        while (try? call("GET", "/status"))?["value"].flatMap({ ($0 as? [String: Any])?["ready"] as? Bool }) != true {
            guard Date() < deadline else { throw Failure(description: "chromedriver did not become ready on port \(port)") }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let options: [String: Any] = ["binary": "/usr/bin/chromium",
                                      "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                               "--window-size=\(width),\(height)", "--autoplay-policy=no-user-gesture-required"]]
        let answer = try call("POST", "/session", ["capabilities": ["alwaysMatch": ["browserName": "chrome", "goog:chromeOptions": options]]])
        guard let value = answer["value"] as? [String: Any], let id = value["sessionId"] as? String else {
            throw Failure(description: "no WebDriver session: \(answer)")
        }
        session = id
    }

    func quit() {
        if !session.isEmpty { _ = try? call("DELETE", "/session/\(session)") }
        driver.terminate()
        driver.waitUntilExit()
    }

    func open(_ url: String) throws { _ = try command("POST", "/url", ["url": url]) }

    func element(_ css: String) throws -> String {
        let value = try command("POST", "/element", ["using": "css selector", "value": css])
        guard let e = (value as? [String: Any])?[Self.elementKey] as? String else { throw Failure(description: "no element \(css): \(String(describing: value))") }
        return e
    }

    func type(_ text: String, into css: String) throws { _ = try command("POST", "/element/\(try element(css))/value", ["text": text]) }
    func click(_ css: String) throws { _ = try command("POST", "/element/\(try element(css))/click", [:]) }

    /// The value of a script run in the page (`return …`).
    func run(_ script: String) throws -> Any? { try command("POST", "/execute/sync", ["script": script, "args": []]) }

    /// Polls `script` until `done` accepts its value; the last value when it times out is in the error.
    @discardableResult
    func wait(_ what: String, timeout: TimeInterval, _ script: String, until done: (Any?) -> Bool) throws -> Any? {
        let deadline = Date().addingTimeInterval(timeout)
        var last: Any?
        while Date() < deadline {
            last = try run(script)
            if done(last) { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw Failure(description: "timed out after \(Int(timeout)) s waiting for \(what); last value \(String(describing: last))")
    }

    private func command(_ method: String, _ path: String, _ body: [String: Any]? = nil) throws -> Any? {
        let answer = try call(method, "/session/\(session)\(path)", body)
        if let value = answer["value"] as? [String: Any], let error = value["error"] as? String {
            throw Failure(description: "WebDriver \(path): \(error): \(value["message"] ?? "")")
        }
        return answer["value"]
    }

    /// One protocol call through curl (the serve tests' HTTP client too).
    private func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) throws -> [String: Any] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = ["-s", "--max-time", "120", "-X", method, "-H", "Content-Type: application/json"]
            + (body == nil ? [] : ["--data-binary", "@-"]) + [base + path]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        if let body { input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: body)) }
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw Failure(description: "curl \(method) \(path) exited with \(p.terminationStatus)") }
        return (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }
}
