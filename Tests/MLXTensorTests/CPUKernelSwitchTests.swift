import Foundation
@testable import MLXTensor
import XCTest

/// `CPUKernels.withEnabled` is scoped to the caller's task/thread: concurrent scopes do not race.
final class CPUKernelSwitchTests: XCTestCase {
    func testScopesNestAndRestore() {
        let outside = CPUKernels.enabled
        CPUKernels.withEnabled(false) {
            XCTAssertFalse(CPUKernels.enabled)
            CPUKernels.withEnabled(true) { XCTAssertTrue(CPUKernels.enabled) }
            XCTAssertFalse(CPUKernels.enabled)
        }
        XCTAssertEqual(CPUKernels.enabled, outside)
        XCTAssertEqual(outside, ProcessInfo.processInfo.environment["OPENSORA_CPU_KERNELS"] != "0")
    }

    /// Two threads hold opposite scopes at the same time; each must only ever see its own.
    func testConcurrentScopesSeeOnlyTheirOwnValue() {
        let wrong = ManagedAtomicCounter()
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            let mine = i % 2 == 0
            CPUKernels.withEnabled(mine) {
                for _ in 0..<20_000 where CPUKernels.enabled != mine { wrong.increment() }
            }
        }
        XCTAssertEqual(wrong.value, 0)
    }

    func testChildTasksInheritTheScope() async {
        let seen = await CPUKernels.withEnabled(false) {
            await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<3 { group.addTask { CPUKernels.enabled } }
                var all = [Bool]()
                for await v in group { all.append(v) }
                return all
            }
        }
        XCTAssertEqual(seen, [false, false, false])
    }

    /// The switch decides the path: the composed op and the kernel give the same GELU.
    func testTheSwitchSelectsThePath() throws {
        let x = Tensor([-1, 0, 0.5, 2])
        let on = try CPUKernels.withEnabled(true) { try x.geluTanh().toArray() }
        let off = try CPUKernels.withEnabled(false) { try x.geluTanh().toArray() }
        for (a, b) in zip(on, off) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        XCTAssertEqual(off[3], 1.9545977, accuracy: 1e-5)
    }
}

/// A lock-protected counter for the threads above.
final class ManagedAtomicCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
