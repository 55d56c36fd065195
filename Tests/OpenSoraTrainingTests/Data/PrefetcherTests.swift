import Foundation
@testable import OpenSoraTraining
import XCTest

final class PrefetcherTests: XCTestCase {
    struct Boom: Error, Equatable { let at: Int }

    func testOrderBoundAndErrorPropagation() throws {
        let produced = Counter()
        let p = Prefetcher<Int>(depth: 2) { i in
            produced.increment()
            if i == 5 { throw Boom(at: i) }
            return i * i
        }
        Thread.sleep(forTimeInterval: 0.05)
        XCTAssertLessThanOrEqual(produced.value, 3, "at most depth elements wait, plus the one in production")
        for i in 0..<5 { XCTAssertEqual(try p.next(), i * i) }
        XCTAssertThrowsError(try p.next()) { XCTAssertEqual($0 as? Boom, Boom(at: 5)) }
        XCTAssertNil(try p.next())
    }

    func testStopEndsAProducerThatWouldRunForever() throws {
        let p = Prefetcher<Int>(depth: 1) { $0 }
        XCTAssertEqual(try p.next(), 0)
        p.stop()
        XCTAssertNil(try p.next())
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    var value: Int { lock.withLock { n } }
    func increment() { lock.withLock { n += 1 } }
}
