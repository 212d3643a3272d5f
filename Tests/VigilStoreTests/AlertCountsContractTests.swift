import Foundation
import Testing
import VigilCore

/// Alert counts for statistics on every engine (both keep them per minute, hour and day; PostgreSQL's
/// deltas are folded by the rollup step): equal to counting the alerts themselves for any window,
/// before a fold, after it, and with changes on both sides of it.
@Suite struct AlertCountsContractTests {
    @Test(arguments: StoreBackend.available)
    func countsEqualTheAlertsForEveryWindow(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var engine = DetectionEngine(rules: [AlertStoreContractTests.bruteForce()])
            var checkpoint: DetectorCheckpoint?
            var ids: [UUID] = []
            // Fourteen commits 4 h 17 min apart: alerts over three UTC days, on and off the hour.
            for step in 0..<14 {
                let events = (0..<(1 + step % 2)).flatMap { n in
                    AlertStoreContractTests.failures(5, ip: "10.9.\(step).\(n)", from: Int64(step * 100 + n * 10))
                }
                let now = Fixtures.base.adding(seconds: Int64(step) * 15_420 + 1_234)
                let (result, next) = try await AlertStoreContractTests.detect(store, events, engine: &engine, from: checkpoint, now: now)
                ids += result.opened.map(\.id)
                checkpoint = next
            }
            #expect(ids.count == 21)
            let later = Fixtures.base.adding(seconds: 400_000)
            for (index, id) in ids.enumerated() where index % 4 != 0 {
                let status: AlertStatus = [.open, .acknowledged, .resolved, .dismissed][index % 4]  // 0 stays open
                _ = try await store.updateAlert(id: id, AlertUpdate(status: status, note: "checked"), by: "ann", at: later)
            }
            try await Self.expectExact(store, "before a fold")
            _ = try await store.rollUp(limit: 10_000)
            try await Self.expectExact(store, "after a fold")
            // Changes after the fold: counts and deltas are summed together.
            for id in ids.prefix(6) {
                let current = try #require(try await store.alert(id: id)).alert.status
                let next: AlertStatus = current == .open ? .resolved : current == .acknowledged ? .dismissed : .open
                _ = try await store.updateAlert(id: id, AlertUpdate(status: next, note: "again"), by: "bob", at: later.adding(seconds: 1))
            }
            try await Self.expectExact(store, "deltas on top of folded counts")
            _ = try await store.rollUp(limit: 10_000)
            _ = try await store.rollUp(limit: 10_000)
            try await Self.expectExact(store, "after folding twice")
        }
    }

    /// An upgrade to the schema with alert counts: alerts raised and triaged on `store` (whose
    /// counting schema the caller has removed), then counted exactly on the store `reopen`
    /// migrates again, before and after one more change. Closes every store it is given or opens.
    static func expectCountedAfterTheUpgrade<Store: ContractStore>(
        _ store: Store,
        reopen: () async throws -> Store,
        close: (Store) async -> Void
    ) async throws {
        var engine = DetectionEngine(rules: [AlertStoreContractTests.bruteForce()])
        var checkpoint: DetectorCheckpoint?
        var ids: [UUID] = []
        for step in 0..<5 {
            let events = AlertStoreContractTests.failures(5, ip: "10.8.0.\(step)", from: Int64(step * 100))
            let now = Fixtures.base.adding(seconds: Int64(step) * 40_000 + 77)
            let (result, next) = try await AlertStoreContractTests.detect(store, events, engine: &engine, from: checkpoint, now: now)
            ids += result.opened.map(\.id)
            checkpoint = next
        }
        #expect(ids.count == 5)
        let later = Fixtures.base.adding(seconds: 300_000)
        _ = try await store.updateAlert(id: ids[1], AlertUpdate(status: .resolved, note: "ok"), by: "ann", at: later)
        await close(store)
        let upgraded = try await reopen()
        try await Self.expectExact(upgraded, "after the upgrade")
        _ = try await upgraded.updateAlert(id: ids[2], AlertUpdate(status: .dismissed, note: "no"), by: "ann", at: later.adding(seconds: 1))
        try await Self.expectExact(upgraded, "a change after the upgrade")
        await close(upgraded)
    }

    /// `alertStats` equals a count of the listed alerts for windows aligned to days and hours,
    /// and minutes, unaligned, shorter than a minute, empty, and covering everything.
    static func expectExact(_ store: any ContractStore, _ when: String) async throws {
        var query = AlertQuery()
        query.limit = 1_000
        let alerts = try await store.alerts(matching: query).items
        let base = Fixtures.base
        let day = StatsBucket.day.floor(base)
        let windows: [(Timestamp, Timestamp)] = [
            (day, day.adding(seconds: 4 * 86_400)),
            (day.adding(seconds: 86_400), day.adding(seconds: 2 * 86_400)),
            (base.adding(seconds: 1_000), base.adding(seconds: 130_000)),
            (base.adding(seconds: 15_000), base.adding(seconds: 16_000)),
            (base.adding(seconds: 3_600 * 5 + 17), base.adding(seconds: 3_600 * 29 + 1)),
            (base.adding(seconds: 500_000), base.adding(seconds: 600_000)),
            (base.adding(seconds: -86_400), base.adding(seconds: 1_234)),
            (base.adding(seconds: -86_400), base.adding(seconds: 1_235)),
            (base.adding(seconds: 1_200), base.adding(seconds: 1_260)),
            (base.adding(seconds: 1_234), base.adding(seconds: 1_235)),
            (base.adding(seconds: 15_420 + 1_200), base.adding(seconds: 15_420 + 1_260 + 60)),
        ]
        for (from, to) in windows {
            var stats = try await store.alertStats(from: from, to: to)
            // Engines may list a status or severity with no alert as 0; the report shows every one.
            stats.byStatus = stats.byStatus.filter { $0.value != 0 }
            stats.bySeverity = stats.bySeverity.filter { $0.value != 0 }
            let inWindow = alerts.filter { $0.createdAt >= from && $0.createdAt < to }
            var expected = AlertStats(open: Int64(alerts.filter { $0.status == .open }.count))
            for alert in inWindow {
                expected.byStatus[alert.status, default: 0] += 1
                expected.bySeverity[alert.severity, default: 0] += 1
            }
            #expect(stats == expected, "\(when): \(from.rfc3339) – \(to.rfc3339)")
        }
    }
}
