import Foundation
import Logging
import Metrics
import Synchronization
import Testing
import VigilCore

/// A store that refuses, like an engine would, every transaction holding an event of type
/// `poison` (the PostgreSQL "word is too long" case), and counts transactions.
final class PoisonStore: EventStore, Sendable {
    let inner: any EventStore
    let transactions = Atomic<Int>(0)
    struct Refused: Error {}

    init(_ inner: any EventStore) {
        self.inner = inner
    }

    func write(_ submissions: [[PreparedEvent]]) async throws -> [SubmissionResult] {
        self.transactions.add(1, ordering: .relaxed)
        if submissions.joined().contains(where: { $0.event.type == "poison" }) { throw Refused() }
        return try await self.inner.write(submissions)
    }

    func event(id: UUID) async throws -> Event? { try await self.inner.event(id: id) }
    func events(matching query: EventQuery) async throws -> EventPage { try await self.inner.events(matching: query) }
}

@Suite struct EventWriterIsolationTests {
    @Test func oneRefusedSubmissionFailsOnlyItself() async throws {
        try await StoreBackend.sqliteMemory.withStore { (inner: any ContractStore) async throws in
            let gated = GatedStore(PoisonStore(inner))
            try await EventWriterTests().withWriter(gated) { (writer: EventWriter) async throws in
                gated.close()
                defer { gated.open() }
                let outcomes = await withTaskGroup(of: (String, Bool).self) { group in
                    for index in 0..<64 {
                        let type = index == 17 ? "poison" : "ok\(index)"
                        group.addTask {
                            do {
                                _ = try await writer.append([Fixtures.event(type)])
                                return (type, true)
                            } catch {
                                return (type, false)
                            }
                        }
                    }
                    // Everything queued behind one held commit, so the poison shares a group.
                    try? await eventually("64 events held or queued") { await writer.queuedEventCount + gated.heldEvents == 64 }
                    gated.open()
                    return await group.reduce(into: [String: Bool]()) { $0[$1.0] = $1.1 }
                }
                #expect(outcomes.count == 64)
                #expect(outcomes["poison"] == false)
                let failed = outcomes.filter { !$0.value }.map(\.key).sorted()
                #expect(failed == ["poison"])
                var all = EventQuery()
                all.limit = 1000
                #expect(try await inner.events(matching: all).items.count == 63)
            }
        }
    }

    @Test func auditRecordsAreNotRefusedByAFullQueue() async throws {
        try await StoreBackend.sqliteMemory.withStore { (inner: any ContractStore) async throws in
            let store = GatedStore(inner)
            try await EventWriterTests().withWriter(store, configuration: .init(maxQueuedEvents: 2, maxBatchEvents: 2)) {
                (writer: EventWriter) async throws in
                store.close()
                defer { store.open() }
                let held = Task { try await writer.append([Fixtures.event("held")]) }
                try await eventually("the first commit to start") { store.waiting > 0 }
                let queued = Task { try await writer.append([Fixtures.event("q1"), Fixtures.event("q2")]) }
                try await eventually("2 queued events") { await writer.queuedEventCount == 2 }
                await #expect(throws: VigilError.overloaded(retryAfter: 1)) { try await writer.append([Fixtures.event("client")]) }
                let audit = AuditTrail(writer: writer, logger: EventWriterTests.logger)
                let recorded = Task {
                    try await audit.record(.userUpdated, severity: .medium, outcome: .success, context: AuditContext(actor: "admin"))
                }
                try await eventually("the audit record to queue") { await writer.queuedEventCount == 3 }
                store.open()
                _ = try await held.value
                _ = try await queued.value
                try await recorded.value
            }
        }
    }

    @Test func auditFailsClosed() async throws {
        try await StoreBackend.sqliteMemory.withStore { (inner: any ContractStore) async throws in
            let gated = GatedStore(inner)
            gated.failing.store(true, ordering: .relaxed)
            let audit = AuditTrail(store: gated, logger: EventWriterTests.logger)
            await #expect(throws: VigilError.self) {
                try await audit.record(.apiKeyCreated, severity: .medium, outcome: .success, context: AuditContext(actor: "admin"))
            }
        }
    }
}
