// ffmpeg decoding a video to raw RGB24 frames read one at a time from its pipe, so a long video never sits in memory.
import Foundation


/// The frames of a video at `size`, streamed from an ffmpeg process.
public final class FrameStream {
    public let size: VideoSize
    private let process = Process()
    private let output: FileHandle
    private let errors = Pipe()
    private var buffer = Data()

    public init(path: String, size: VideoSize) throws {
        self.size = size
        let out = Pipe()
        process.executableURL = try FFmpeg.executable("ffmpeg")
        process.arguments = ["-v", "error", "-nostdin", "-i", path, "-map", "0:v:0", "-vf", "scale=\(size.width):\(size.height):flags=bilinear",
                             "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
        process.standardOutput = out
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        output = out.fileHandleForReading
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// The next frame's RGB bytes (H·W·3), or nil at the end; a decoding failure before any frame throws.
    public func next() throws -> [UInt8]? {
        let frame = size.height * size.width * 3
        while buffer.count < frame {
            let chunk = output.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
        }
        guard buffer.count >= frame else {
            process.waitUntilExit()
            if process.terminationStatus != 0 {
                let tail = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    .split(separator: "\n").suffix(2).joined(separator: " | ")
                throw FFmpeg.Failure(message: "ffmpeg could not decode the video: \(tail)")
            }
            return nil
        }
        let bytes = [UInt8](buffer.prefix(frame))
        buffer.removeFirst(frame)
        return bytes
    }
}
