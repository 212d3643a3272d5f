import Foundation
import Logging
import Metrics
import Testing
import VigilCore

/// `AlertStore` on every engine: detection commits, the checkpoint guard, triage, listing.
@Suite struct AlertStoreContractTests {
    static let now = Fixtures.base.adding(seconds: 10_000)

    static func bruteForce() -> Rule {
        Rule.builtIn(now: Fixtures.base).first { $0.name == "Brute-force login" }!
    }

    static func failures(_ count: Int, ip: String, from start: Int64 = 0) -> [PreparedEvent] {
        (0..<count).map { Fixtures.event("auth.login.failed", at: start + Int64($0), ip: ip) }
    }

    static func triggers(_ events: [PreparedEvent], engine: inout DetectionEngine) -> [Trigger] {
        events.flatMap { engine.evaluate($0.event) }
    }

    /// Commits `events` to the log and runs one detection step over them.
    static func detect(
        _ store: any ContractStore,
        _ events: [PreparedEvent],
        engine: inout DetectionEngine,
        from checkpoint: DetectorCheckpoint?,
        now: Timestamp = Self.now
    ) async throws -> (DetectionResult, DetectorCheckpoint) {
        _ = try await store.write([events])
        // Read like the detector: everything after the checkpoint (earlier alert records too)
        // until this step's events were all seen.
        var position = checkpoint?.position
        var read: [Event] = []
        let wanted = Set(events.map(\.event.id))
        let deadline = ContinuousClock.now + .seconds(20)
        while !wanted.isSubset(of: Set(read.map(\.id))), ContinuousClock.now < deadline {
            let batch = try await store.committedEvents(after: position, limit: 1000)
            read += batch.events
            position = batch.position
            if batch.events.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(wanted.isSubset(of: Set(read.map(\.id))))
        let next = DetectorCheckpoint(position: position, newestEventTime: events.map(\.event.occurredAt).max())
        let result = try await store.commitDetection(
            DetectionCommit(expected: checkpoint, next: next, triggers: read.flatMap { engine.evaluate($0) }, now: now)
        )
        return (result, next)
    }

    @Test(arguments: StoreBackend.available)
    func detectionCommitsOpenAndExtendAlertsAtomically(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.detectorCheckpoint() == nil)
            var engine = DetectionEngine(rules: [Self.bruteForce()])
            let first = Self.failures(6, ip: "10.0.0.1")
            let (opened, checkpoint) = try await Self.detect(store, first, engine: &engine, from: nil)
            #expect(opened.opened.count == 1 && opened.updated.isEmpty)
            #expect(try await store.detectorCheckpoint() == checkpoint)
            let id = try #require(opened.opened.first?.id)
            // The opening was recorded in the log, in the same transaction.
            let (logged, _) = try await EventLogContractTests.follow(store, from: checkpoint.position, expecting: 1)
            let recordID = try #require(logged.first)
            let record = try #require(try await store.event(id: recordID))
            #expect(record.type == "alert.created" && record.entityID == id.lowercased && record.ingestedBy == "vigil")

            let (extended, second) = try await Self.detect(store, Self.failures(3, ip: "10.0.0.1", from: 10), engine: &engine, from: checkpoint)
            #expect(extended.opened.isEmpty && extended.updated.map(\.id) == [id])
            let detail = try #require(try await store.alert(id: id))
            #expect(detail.alert.count == 9)
            #expect(detail.alert.firstSeen == first[0].event.occurredAt)
            #expect(detail.alert.lastSeen == Fixtures.base.adding(seconds: 12))
            #expect(detail.evidence.count == 9)
            #expect(detail.evidence.map(\.occurredAt) == detail.evidence.map(\.occurredAt).sorted())
            #expect(detail.history == [AlertHistoryEntry(at: Self.now, by: "vigil", from: nil, to: .open, assignee: nil, note: nil)])

            // A detector that read an older checkpoint writes nothing.
            let stale = DetectionCommit(
                expected: checkpoint,
                next: DetectorCheckpoint(position: second.position, newestEventTime: nil),
                triggers: Self.triggers(Self.failures(5, ip: "10.0.0.2", from: 20), engine: &engine),
                now: Self.now
            )
            await #expect(throws: VigilError.detectorCheckpointMoved) { try await store.commitDetection(stale) }
            #expect(try await store.alerts(matching: AlertQuery()).items.count == 1)
            #expect(try await store.detectorCheckpoint() == second)
        }
    }

    @Test(arguments: StoreBackend.available)
    func triageAppendsHistoryAndChecksTheLifecycle(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var engine = DetectionEngine(rules: [Self.bruteForce()])
            let (result, _) = try await Self.detect(store, Self.failures(5, ip: "10.0.0.1"), engine: &engine, from: nil)
            let id = try #require(result.opened.first?.id)
            let later = Self.now.adding(seconds: 60)
            let changed = try #require(
                try await store.updateAlert(id: id, AlertUpdate(status: .acknowledged, assignee: .set("ann")), by: "admin", at: later)
            )
            #expect(changed.before.status == .open && changed.after.status == .acknowledged && changed.after.assignee == "ann")
            await #expect(throws: VigilError.self) {
                try await store.updateAlert(id: id, AlertUpdate(status: .open, note: "x"), by: "admin", at: later)
            }
            _ = try await store.updateAlert(id: id, AlertUpdate(status: .resolved, note: "done"), by: "root", at: later.adding(seconds: 1))
            #expect(try await store.updateAlert(id: UUID.v7(), AlertUpdate(status: .resolved), by: "admin", at: later) == nil)
            let detail = try #require(try await store.alert(id: id))
            #expect(detail.alert.status == .resolved && detail.alert.updatedAt == later.adding(seconds: 1))
            #expect(detail.history.map(\.to) == [.open, .acknowledged, .resolved])
            #expect(
                detail.history.last
                    == AlertHistoryEntry(at: later.adding(seconds: 1), by: "root", from: .acknowledged, to: .resolved, assignee: "ann", note: "done")
            )
        }
    }

    @Test(arguments: StoreBackend.available)
    func listingFiltersAndPages(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var engine = DetectionEngine(rules: Rule.builtIn(now: Fixtures.base))
            var events: [PreparedEvent] = []
            for index in 0..<6 { events += Self.failures(5, ip: "10.0.0.\(index)", from: Int64(index * 100)) }
            events.append(Fixtures.event("malware.found", at: 900, severity: .critical, actor: "100%_host"))
            let (result, _) = try await Self.detect(store, events, engine: &engine, from: nil)
            #expect(result.opened.count == 7)
            _ = try await store.updateAlert(id: result.opened[0].id, AlertUpdate(status: .dismissed), by: "admin", at: Self.now)

            func ids(_ adjust: (inout AlertQuery) -> Void) async throws -> [UUID] {
                var query = AlertQuery()
                adjust(&query)
                return try await store.alerts(matching: query).items.map(\.id)
            }
            #expect(try await ids { $0.statuses = [.open] }.count == 6)
            #expect(try await ids { $0.statuses = [.dismissed, .resolved] } == [result.opened[0].id])
            #expect(try await ids { $0.severities = [.critical] }.count == 1)
            #expect(try await ids { $0.minSeverity = .high }.count == 7)
            #expect(try await ids { $0.text = "10.0.0.3" } == [result.opened[3].id])
            #expect(try await ids { $0.text = "100%_H" } == [result.opened[6].id], "case-insensitive, wildcards literal")
            #expect(try await ids { $0.text = "%" }.count == 1)
            #expect(try await ids { $0.ruleID = Self.bruteForce().id }.isEmpty, "built-in ids differ per install")
            #expect(try await ids { $0.from = Self.now.adding(seconds: 1) }.isEmpty)

            var query = AlertQuery()
            query.limit = 3
            query.order = .asc
            var pages: [UUID] = []
            while true {
                let page = try await store.alerts(matching: query)
                pages += page.items.map(\.id)
                guard let cursor = page.nextCursor else { break }
                query.cursor = cursor
            }
            #expect(pages == result.opened.map(\.id), "opened in event order, listed in that order")
        }
    }

    @Test(arguments: StoreBackend.available)
    func logRangesBoundPositionAndTime(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let first = (0..<6).map { Fixtures.event("a", at: Int64($0) * 10) }
            _ = try await store.write([first])
            let (_, through) = try await EventLogContractTests.follow(store, from: nil, expecting: 6)
            _ = try await store.write([(0..<4).map { Fixtures.event("b", at: Int64($0) * 10) }])
            _ = try await EventLogContractTests.follow(store, from: through, expecting: 4)
            let range = LogRange(through: through, occurredFrom: Fixtures.base.adding(seconds: 20), occurredTo: Fixtures.base.adding(seconds: 50))
            let batch = try await store.committedEvents(in: range, limit: 100)
            #expect(batch.events.map(\.type) == ["a", "a", "a"])
            #expect(batch.events.map(\.occurredAt) == [20, 30, 40].map { Fixtures.base.adding(seconds: $0) })
            let paged = try await store.committedEvents(in: range, limit: 2)
            #expect(paged.events.count == 2)
            var rest = range
            rest.after = paged.position
            #expect(try await store.committedEvents(in: rest, limit: 2).events.map(\.occurredAt) == [Fixtures.base.adding(seconds: 40)])
        }
    }

    /// The real detector over a store: stopped mid-window and started again, it still fires,
    /// and it evaluates nothing twice.
    @Test(arguments: StoreBackend.available)
    func aDetectorRestartedMidWindowStillFires(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let signal = WakeSignal()
            func detector() -> Detector {
                Detector(
                    log: store,
                    alerts: store,
                    rules: store,
                    signal: signal,
                    configuration: .init(pollInterval: .milliseconds(20)),
                    logger: Logger(label: "test"),
                    metrics: NOOPMetricsHandler.instance
                )
            }
            _ = try await store.installRulesOnce(Rule.builtIn(now: Fixtures.base))
            /// Waits until the stored checkpoint lies past every one of `events`.
            func waitUntilEvaluated(_ events: [PreparedEvent]) async throws {
                let wanted = Set(events.map(\.event.id))
                let deadline = ContinuousClock.now + .seconds(20)
                while ContinuousClock.now < deadline {
                    if let position = try await store.detectorCheckpoint()?.position {
                        let evaluated = try await store.committedEvents(in: LogRange(through: position), limit: 10_000)
                        if wanted.isSubset(of: Set(evaluated.events.map(\.id))) { return }
                    }
                    try await Task.sleep(for: .milliseconds(20))
                }
                Issue.record("the detector did not catch up")
            }
            let first = Task { await detector().follow() }
            let before = Self.failures(3, ip: "10.0.0.1")
            _ = try await store.write([before])
            try await waitUntilEvaluated(before)
            first.cancel()
            await first.value
            #expect(try await store.alerts(matching: AlertQuery()).items.isEmpty)

            let second = Task { await detector().follow() }
            let after = Self.failures(2, ip: "10.0.0.1", from: 10)
            _ = try await store.write([after])
            try await waitUntilEvaluated(after)
            second.cancel()
            await second.value
            let alerts = try await store.alerts(matching: AlertQuery()).items
            #expect(alerts.map(\.count) == [5])
        }
    }
}
