import Foundation
import Synchronization
import Testing

@testable import VigilSQLite

/// F11: SQLite statements cannot be given a time limit, so heavy reads must never occupy the
/// last idle reader connection.
@Suite struct ReaderCheckoutTests {
    @Test func heavyReadsLeaveOneReaderToLightOnes() async throws {
        let checkout = ReaderCheckout(readers: 4, reserved: 1)
        var held: [Int] = []
        for _ in 0..<3 { held.append(await checkout.checkout(heavy: true)) }
        let fourthHeavy = Task { await checkout.checkout(heavy: true) }
        // The fourth heavy read waits; a light read still gets the last reader at once.
        let light = await checkout.checkout(heavy: false)
        #expect(Set(held + [light]).count == 4)
        checkout.checkin(light)
        // Returning the light reader leaves one idle: still reserved, the heavy read waits.
        try await Task.sleep(for: .milliseconds(50))
        checkout.checkin(held.removeFirst())
        let granted = await fourthHeavy.value
        #expect((0..<4).contains(granted))
        for index in held + [granted] { checkout.checkin(index) }
    }

    final class Tracker: Sendable {
        let inUse = Mutex<Set<Int>>([])
        let clash = Atomic<Bool>(false)
    }

    @Test func aReaderServesOneCallerAtATime() async throws {
        let checkout = ReaderCheckout(readers: 2, reserved: 1)
        let tracker = Tracker()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let reader = await checkout.checkout(heavy: index % 2 == 0)
                    if !tracker.inUse.withLock({ $0.insert(reader).inserted }) { tracker.clash.store(true, ordering: .relaxed) }
                    await Task.yield()
                    tracker.inUse.withLock { _ = $0.remove(reader) }
                    checkout.checkin(reader)
                }
            }
        }
        let clashed = tracker.clash.load(ordering: .relaxed)
        #expect(!clashed)
    }
}
