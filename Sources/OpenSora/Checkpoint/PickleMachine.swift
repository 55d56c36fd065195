// Reference: CPython Lib/pickletools.py (opcode table, protocols 2–4); the subset torch.save uses.

import Foundation

/// A value on the unpickler's stack. Lists and dicts are shared references: they are mutated by
/// APPEND/SETITEM after being memoised.
indirect enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    /// `depth`: how many tuples/persistent ids nest here (see `maxDepth`).
    case tuple([PickleValue], depth: Int)
    case list(PickleList)
    case dict(PickleDict)
    /// A `module.name` reference (GLOBAL / STACK_GLOBAL).
    case global(String)
    /// What the caller's persistent-load hook made of a BINPERSID id.
    case persistent(PickleValue, depth: Int)
    /// What the caller's reduce hook made of a REDUCE.
    case object(AnyObject)
    case mark

    var asInt: Int? { if case .int(let v) = self { v } else { nil } }
    var asString: String? { if case .string(let v) = self { v } else { nil } }
    var asTuple: [PickleValue]? {
        switch self {
        case .tuple(let v, _): v
        case .list(let l): l.items
        default: nil
        }
    }
}

extension PickleValue {
    /// Releasing nested enum values recurses once per level, so a file could overflow the stack with
    /// a million TUPLE1s; torch pickles nest a few levels. Lists and dicts release iteratively, so
    /// they count as depth 0.
    static let maxDepth = 1000

    var depth: Int {
        switch self {
        case .tuple(_, let d), .persistent(_, let d): d
        default: 0
        }
    }

    /// Releases `values` without recursion: a list or dict that dies while a release runs on this
    /// thread hands its items to that release's work list instead of releasing them itself.
    static func release(_ values: inout [PickleValue]) {
        let key = "opensora.PickleValue.release"
        let threadStore = Thread.current.threadDictionary
        if let running = threadStore[key] as? ReleaseList {
            running.items.append(contentsOf: values)
            values = []
            return
        }
        let list = ReleaseList()
        swap(&list.items, &values)
        threadStore[key] = list
        while let value = list.items.popLast() { _ = value }  // its end may run deinits that append to list
        threadStore[key] = nil
    }

    final class ReleaseList { var items: [PickleValue] = [] }
}

final class PickleList {
    var items: [PickleValue] = []
    deinit { PickleValue.release(&items) }
}

final class PickleDict {
    var pairs: [(PickleValue, PickleValue)] = []
    deinit {
        var values = pairs.flatMap { [$0.0, $0.1] }
        pairs = []
        PickleValue.release(&values)
    }
}

/// Runs a pickle program. Globals are only named, never imported: REDUCE goes to `reduce`, which
/// returns nil for callables it does not know (an error naming them), so no arbitrary code runs.
struct PickleMachine {
    struct Failure: Error, CustomStringConvertible {
        let reason: String
        var description: String { "pickle: \(reason)" }
    }

    var persistentLoad: (PickleValue) throws -> PickleValue
    var reduce: (String, [PickleValue]) throws -> PickleValue?

    func run(_ bytes: [UInt8]) throws -> PickleValue {
        var stack = [PickleValue](), memo = [Int: PickleValue]()
        defer {
            var values = stack + Array(memo.values)
            stack = []
            memo = [:]
            PickleValue.release(&values)
        }
        var p = 0
        func byte() throws -> UInt8 {
            guard p < bytes.count else { throw Failure(reason: "truncated at byte \(p)") }
            defer { p += 1 }
            return bytes[p]
        }
        func take(_ n: Int) throws -> ArraySlice<UInt8> {
            guard n >= 0, n <= bytes.count - p else { throw Failure(reason: "truncated at byte \(p): \(n) bytes wanted, \(bytes.count - p) left") }
            defer { p += n }
            return bytes[p..<(p + n)]
        }
        func uint(_ n: Int) throws -> Int { try take(n).reversed().reduce(0) { $0 << 8 | Int($1) } }
        func line() throws -> String {
            guard let end = bytes[p...].firstIndex(of: 0x0A) else { throw Failure(reason: "unterminated line at byte \(p)") }
            defer { p = end + 1 }
            return String(decoding: bytes[p..<end], as: UTF8.self)
        }
        func tuple(_ items: [PickleValue]) throws -> PickleValue {
            let depth = 1 + (items.map(\.depth).max() ?? 0)
            guard depth <= PickleValue.maxDepth else { throw Failure(reason: "tuples nested deeper than \(PickleValue.maxDepth) at byte \(p)") }
            return .tuple(items, depth: depth)
        }
        func pop() throws -> PickleValue {
            guard let v = stack.popLast() else { throw Failure(reason: "stack underflow at byte \(p)") }
            return v
        }
        func popToMark() throws -> [PickleValue] {
            guard let m = stack.lastIndex(where: { if case .mark = $0 { true } else { false } }) else {
                throw Failure(reason: "no MARK at byte \(p)")
            }
            let items = Array(stack[(m + 1)...])
            stack.removeSubrange(m...)
            return items
        }
        func setItems(_ target: PickleValue, _ kv: [PickleValue]) throws {
            guard case .dict(let d) = target, kv.count % 2 == 0 else { throw Failure(reason: "SETITEM(S) on a non-dict") }
            for i in stride(from: 0, to: kv.count, by: 2) { d.pairs.append((kv[i], kv[i + 1])) }
        }
        while true {
            let op = try byte()
            switch op {
            case 0x80: _ = try byte()  // PROTO
            case 0x95: _ = try take(8)  // FRAME
            case 0x2E: return try pop()  // STOP
            case 0x28: stack.append(.mark)
            case 0x7D: stack.append(.dict(PickleDict()))
            case 0x5D: stack.append(.list(PickleList()))
            case 0x29: stack.append(try tuple([]))
            case 0x74: stack.append(try tuple(try popToMark()))
            case 0x85: stack.append(try tuple([try pop()]))
            case 0x86: let b = try pop(), a = try pop(); stack.append(try tuple([a, b]))
            case 0x87: let c = try pop(), b = try pop(), a = try pop(); stack.append(try tuple([a, b, c]))
            case 0x71: memo[try uint(1)] = stack.last  // BINPUT
            case 0x72: memo[try uint(4)] = stack.last  // LONG_BINPUT
            case 0x94: memo[memo.count] = stack.last  // MEMOIZE
            case 0x68, 0x6A:  // BINGET, LONG_BINGET
                let key = try uint(op == 0x68 ? 1 : 4)
                guard let v = memo[key] else { throw Failure(reason: "memo \(key) missing") }
                stack.append(v)
            case 0x4A: stack.append(.int(Int(Int32(truncatingIfNeeded: try uint(4)))))  // BININT
            case 0x4B: stack.append(.int(try uint(1)))
            case 0x4D: stack.append(.int(try uint(2)))
            case 0x8A:  // LONG1
                let n = try uint(1)
                // Wider longs are not sizes or offsets any file can have: refuse them rather than truncate.
                guard n <= 8 else { throw Failure(reason: "LONG1 of \(n) bytes at byte \(p) exceeds 64 bits") }
                let raw = try take(n)
                var v = 0
                for (i, b) in raw.enumerated() where i < 8 { v |= Int(b) << (8 * i) }
                if n > 0, n < 8, raw.last! & 0x80 != 0 { v -= 1 << (8 * n) }
                stack.append(.int(v))
            case 0x47: stack.append(.float(Double(bitPattern: try take(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })))  // BINFLOAT (big-endian)
            case 0x4E: stack.append(.none)
            case 0x88: stack.append(.bool(true))
            case 0x89: stack.append(.bool(false))
            case 0x58: let n = try uint(4); stack.append(.string(String(decoding: try take(n), as: UTF8.self)))
            case 0x8C: let n = try uint(1); stack.append(.string(String(decoding: try take(n), as: UTF8.self)))
            case 0x8D: let n = try uint(8); stack.append(.string(String(decoding: try take(n), as: UTF8.self)))
            case 0x55: let n = try uint(1); stack.append(.string(String(decoding: try take(n), as: UTF8.self)))
            case 0x54: let n = try uint(4); stack.append(.string(String(decoding: try take(n), as: UTF8.self)))
            case 0x42: let n = try uint(4); stack.append(.bytes(Array(try take(n))))
            case 0x43: let n = try uint(1); stack.append(.bytes(Array(try take(n))))
            case 0x63: let module = try line(), name = try line(); stack.append(.global("\(module).\(name)"))
            case 0x93:
                let name = try pop(), module = try pop()
                stack.append(.global("\(module.asString ?? "?").\(name.asString ?? "?")"))
            case 0x51:  // BINPERSID
                let loaded = try persistentLoad(try pop())
                guard loaded.depth < PickleValue.maxDepth else { throw Failure(reason: "persistent ids nested deeper than \(PickleValue.maxDepth)") }
                stack.append(.persistent(loaded, depth: loaded.depth + 1))
            case 0x52, 0x81:  // REDUCE, NEWOBJ
                let args = try pop(), callable = try pop()
                guard case .global(let name) = callable else { throw Failure(reason: "REDUCE on a non-global at byte \(p)") }
                guard let result = try reduce(name, args.asTuple ?? []) else { throw Failure(reason: "unsupported global \(name)") }
                stack.append(result)
            case 0x62: _ = try pop()  // BUILD: object state is not needed
            case 0x73: let v = try pop(), k = try pop(); guard let d = stack.last else { throw Failure(reason: "SETITEM underflow") }; try setItems(d, [k, v])
            case 0x75: let kv = try popToMark(); guard let d = stack.last else { throw Failure(reason: "SETITEMS underflow") }; try setItems(d, kv)
            case 0x61, 0x65:  // APPEND, APPENDS
                let items = op == 0x61 ? [try pop()] : try popToMark()
                guard case .list(let l) = stack.last else { throw Failure(reason: "APPEND on a non-list") }
                l.items += items
            case 0x30: _ = try pop()
            case 0x31: _ = try popToMark()
            case 0x32: guard let top = stack.last else { throw Failure(reason: "DUP underflow") }; stack.append(top)
            default: throw Failure(reason: String(format: "unsupported opcode 0x%02x at byte %d", op, p - 1))
            }
        }
    }
}
