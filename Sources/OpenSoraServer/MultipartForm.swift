// Reference: RFC 7578 (multipart/form-data), RFC 2046 §5.1 (boundaries).
import Foundation

/// The parts of a `multipart/form-data` body: each with its field name, the file name a browser gave (never used as
/// a path) and its bytes. Malformed bodies are an `APIError` naming what is wrong.
struct MultipartForm {
    struct Part {
        let name: String
        let filename: String?
        let data: Data
    }

    let parts: [Part]

    subscript(_ name: String) -> Part? { parts.first { $0.name == name } }

    /// The boundary of a `multipart/form-data; boundary=…` Content-Type, or nil for another type.
    static func boundary(contentType: String) -> String? {
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard pieces.first?.lowercased() == "multipart/form-data" else { return nil }
        for p in pieces.dropFirst() where p.lowercased().hasPrefix("boundary=") {
            let value = p.dropFirst("boundary=".count)
            return String(value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 ? value.dropFirst().dropLast() : value)
        }
        return nil
    }

    init(body: Data, boundary: String) throws {
        func bad(_ why: String) -> APIError { APIError(.badRequest, code: "invalid_multipart", "multipart body: \(why)", field: "body") }
        guard !boundary.isEmpty, boundary.count <= 70 else { throw bad("the boundary must have 1 to 70 characters") }
        let delimiter = Data("--\(boundary)".utf8), separator = Data("\r\n\r\n".utf8)
        guard var cursor = body.range(of: delimiter)?.upperBound else { throw bad("no part starts with the boundary") }
        var parts = [Part]()
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if body[cursor...].starts(with: Data("--".utf8)) { break }
            guard body[cursor...].starts(with: Data("\r\n".utf8)) else { throw bad("a boundary is not followed by a line break") }
            cursor += 2
            guard let headerEnd = body.range(of: separator, in: cursor..<body.endIndex) else { throw bad("a part has no header end") }
            let headers = String(decoding: body[cursor..<headerEnd.lowerBound], as: UTF8.self)
            guard let next = body.range(of: Data("\r\n".utf8) + delimiter, in: headerEnd.upperBound..<body.endIndex) else {
                throw bad("a part is not closed by the boundary")
            }
            let (name, filename) = try Self.disposition(headers, bad)
            parts.append(Part(name: name, filename: filename, data: body[headerEnd.upperBound..<next.lowerBound]))
            guard parts.count <= 16 else { throw bad("more than 16 parts") }
            cursor = next.upperBound
        }
        self.parts = parts
    }

    /// `name` and `filename` of a part's Content-Disposition header.
    private static func disposition(_ headers: String, _ bad: (String) -> APIError) throws -> (String, String?) {
        guard let line = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }) else {
            throw bad("a part has no Content-Disposition header")
        }
        var name: String?, filename: String?
        for item in line.split(separator: ";").dropFirst() {
            let kv = item.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { continue }
            let value = kv[1].hasPrefix("\"") && kv[1].hasSuffix("\"") && kv[1].count >= 2 ? String(kv[1].dropFirst().dropLast()) : kv[1]
            switch kv[0].lowercased() {
            case "name": name = value
            case "filename": filename = value
            default: break
            }
        }
        guard let name, !name.isEmpty else { throw bad("a part's Content-Disposition has no name") }
        return (name, filename)
    }
}
