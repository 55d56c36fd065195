// ffmpeg (Debian's package) for every media format: frames go in and out as raw RGB24 over pipes.
import Foundation

/// Runs ffmpeg/ffprobe as child processes, feeding stdin from a background thread so large frame
/// streams never deadlock against stdout/stderr.
public enum FFmpeg {
    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
        public init(message: String) { self.message = message }
    }

    /// The first executable named `name` on PATH.
    public static func executable(_ name: String) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw Failure(message: "\(name) not found on PATH; install ffmpeg (scripts/bootstrap.sh does)")
    }

    /// Runs `tool` with `arguments`, writing `input` to its stdin; returns stdout. A non-zero exit
    /// throws with the last lines of stderr.
    @discardableResult
    public static func run(_ arguments: [String], tool: String = "ffmpeg", input: Data? = nil) throws -> Data {
        let process = Process()
        process.executableURL = try executable(tool)
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let done = DispatchGroup(), errors = OutputBox()
        DispatchQueue.global().async(group: done) {
            if let input { try? stdin.fileHandleForWriting.write(contentsOf: input) }
            try? stdin.fileHandleForWriting.close()
        }
        DispatchQueue.global().async(group: done) { errors.data = stderr.fileHandleForReading.readDataToEndOfFile() }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        done.wait()
        guard process.terminationStatus == 0 else {
            let tail = String(decoding: errors.data, as: UTF8.self).split(separator: "\n").suffix(3).joined(separator: " | ")
            throw Failure(message: "\(tool) failed (exit \(process.terminationStatus)): \(tail)")
        }
        return output
    }
}

/// stderr collected on another thread; read only after the group finished.
private final class OutputBox: @unchecked Sendable { var data = Data() }
