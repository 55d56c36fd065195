#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The one way this project replaces a file: the new content is produced under a temporary name in
/// the target's folder, flushed, then renamed over the target, so a crash or a failed producer leaves
/// either the old file or the new one at the path, never nothing and never a half-written file.
public enum AtomicFile {
    /// Why a replacement failed; the target still holds its previous content.
    public struct WriteError: Error, CustomStringConvertible, Equatable {
        public let path: String
        public let reason: String
        public var description: String { "\(path): cannot write (\(reason)); the previous file, if any, is unchanged" }
    }

    /// Calls `produce` with a temporary path beside `path` (ending in `temporarySuffix`, for writers that
    /// pick a format by extension), then moves what it wrote into place. A file or a folder may be
    /// produced. `durable` also flushes the folder entry, so the rename itself survives a power cut.
    public static func write(to path: String, temporarySuffix: String = ".tmp", durable: Bool = false,
                             _ produce: (String) throws -> Void) throws {
        let target = URL(fileURLWithPath: path)
        let folder = target.deletingLastPathComponent().path
        let temp = (folder as NSString).appendingPathComponent(temporaryName(for: target.lastPathComponent, suffix: temporarySuffix))
        defer { if FileManager.default.fileExists(atPath: temp) { try? FileManager.default.removeItem(atPath: temp) } }
        try produce(temp)
        guard FileManager.default.fileExists(atPath: temp) else {
            throw WriteError(path: path, reason: "the writer produced no output")
        }
        try flush(temp, path: path)
        try replace(path, with: temp)
        if durable { try sync(folder, path: path) }
    }

    /// `.<name>.<UUID><suffix>`, with `name` shortened (at a character boundary) so the whole stays within
    /// the file system's 255-byte limit: a target whose own name fits can always be written.
    static func temporaryName(for name: String, suffix: String) -> String {
        let tail = ".\(UUID().uuidString)\(suffix)"
        let budget = 255 - 1 - tail.utf8.count
        var stem = Substring(name)
        while stem.utf8.count > budget { stem = stem.dropLast() }
        return "." + stem + tail
    }

    /// Writes `data` to `path` atomically.
    public static func write(_ data: Data, to path: String, durable: Bool = false) throws {
        try write(to: path, durable: durable) { temp in
            guard FileManager.default.createFile(atPath: temp, contents: data) else {
                throw WriteError(path: path, reason: "cannot create a file in \((path as NSString).deletingLastPathComponent)")
            }
        }
    }

    /// fsyncs a produced file, or every file of a produced folder and the folder itself.
    static func flush(_ temp: String, path: String) throws {
        var isFolder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: temp, isDirectory: &isFolder)
        if isFolder.boolValue {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: temp)) ?? [] {
                try sync((temp as NSString).appendingPathComponent(name), path: path)
            }
        }
        try sync(temp, path: path)
    }

    static func sync(_ item: String, path: String) throws {
        let fd = open(item, O_RDONLY)
        guard fd >= 0 else { throw WriteError(path: path, reason: "cannot open \(item) to flush it: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw WriteError(path: path, reason: "fsync failed: \(String(cString: strerror(errno)))") }
    }

    /// rename(2) replaces a file atomically. A folder cannot be renamed over a non-empty folder, so
    /// the two are exchanged (Linux renameat2) or, without it, the old one is moved aside first.
    static func replace(_ path: String, with temp: String) throws {
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        if exists && isFolder.boolValue {
            if exchange(temp, path) {
                try? FileManager.default.removeItem(atPath: temp)  // now holds the old folder
                return
            }
            let aside = temp + ".old"
            guard rename(path, aside) == 0 else { throw WriteError(path: path, reason: "rename failed: \(String(cString: strerror(errno)))") }
            guard rename(temp, path) == 0 else {
                let reason = String(cString: strerror(errno))
                _ = rename(aside, path)
                throw WriteError(path: path, reason: "rename failed: \(reason)")
            }
            try? FileManager.default.removeItem(atPath: aside)
            return
        }
        guard rename(temp, path) == 0 else { throw WriteError(path: path, reason: "rename failed: \(String(cString: strerror(errno)))") }
    }

    /// Atomically swaps two paths where the system can (Linux ≥ 3.15: renameat2 RENAME_EXCHANGE).
    static func exchange(_ a: String, _ b: String) -> Bool {
        #if os(Linux)
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let exchangeFlag: UInt32 = 1 << 1  // RENAME_EXCHANGE
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, exchangeFlag) == 0
        #else
        return false
        #endif
    }
}
