import Foundation
import Logging
import Metrics
import PostgresNIO
import Testing
import VigilCore
import VigilPostgres
import VigilTestSupport

/// Detection with several nodes on one PostgreSQL database.
@Suite(.enabled(if: ScratchPostgres.isConfigured, "set VIGIL_TEST_POSTGRES_URL to run the PostgreSQL suites"))
struct PostgresDetectionTests {
    static func detector(_ store: PostgresStore) -> Detector {
        Detector(
            log: store,
            alerts: store,
            rules: store,
            signal: WakeSignal(),
            // Storms are not what this suite tests: 40 alerts a minute are expected here.
            configuration: .init(batchSize: 50, pollInterval: .milliseconds(10), retryDelay: .milliseconds(10), stormLimit: 1000),
            logger: StoreBackend.logger,
            metrics: NOOPMetricsHandler.instance
        )
    }

    /// Leadership makes one detector run; this test removes that safety and runs a detector
    /// on each of two nodes at once while both ingest. The checkpoint compare-and-set must
    /// still leave every alert exactly once with every event counted exactly once.
    @Test func twoDetectorsAtOnceNeverDuplicateAlerts() async throws {
        try await ScratchPostgres.withDatabase { url in
            let nodeA = try await PostgresClusterTests.open(url)
            let nodeB = try await PostgresClusterTests.open(url, migrate: false)
            _ = try await nodeA.installRulesOnce(Rule.builtIn(now: Fixtures.base))
            let detectors = [Task { await Self.detector(nodeA).follow() }, Task { await Self.detector(nodeB).follow() }]

            // 12 addresses × 10 failures (within a minute each) and 40 critical events, written
            // in small interleaved commits through both nodes at once.
            var submissions: [[PreparedEvent]] = []
            for round in 0..<10 {
                submissions.append((0..<12).map { Fixtures.event("auth.login.failed", at: Int64(round), ip: "10.7.0.\($0)") })
                submissions.append((0..<4).map { Fixtures.event("malware.found", at: Int64(round), severity: .critical, actor: "h\(round)-\($0)") })
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, submission) in submissions.enumerated() {
                    let node = index.isMultiple(of: 2) ? nodeA : nodeB
                    group.addTask { _ = try await node.write([submission]) }
                }
                try await group.waitForAll()
            }
            // Wait until both detectors have nothing left: 52 alerts, counts settled.
            let deadline = ContinuousClock.now + .seconds(30)
            var alerts: [Alert] = []
            while ContinuousClock.now < deadline {
                var query = AlertQuery()
                query.limit = 1000
                alerts = try await nodeA.alerts(matching: query).items
                if alerts.count >= 52, alerts.filter({ $0.ruleName == "Brute-force login" }).allSatisfy({ $0.count == 10 }) { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            try await Task.sleep(for: .milliseconds(300))
            for detector in detectors { detector.cancel() }
            for detector in detectors { await detector.value }

            var query = AlertQuery()
            query.limit = 1000
            alerts = try await nodeB.alerts(matching: query).items
            let brute = alerts.filter { $0.ruleName == "Brute-force login" }
            #expect(brute.count == 12)
            #expect(Set(brute.map(\.groupKey)).count == 12)
            #expect(brute.allSatisfy { $0.count == 10 }, "\(brute.map(\.count))")
            #expect(alerts.filter { $0.ruleName == "High severity event" }.count == 40)
            #expect(try await PostgresClusterTests.count(nodeA, "SELECT count(*) FROM events WHERE type = 'alert.created'") == 52)
            #expect(try await PostgresClusterTests.count(nodeA, "SELECT count(*) FROM alert_history") == 52)
            #expect(try await PostgresClusterTests.count(nodeA, "SELECT count(*) FROM alert_evidence") == 12 * 10 + 40)
            await nodeA.close()
            await nodeB.close()
        }
    }
}

extension PostgresDetectionTests {
    /// Two nodes claiming at once (`FOR UPDATE SKIP LOCKED`): every notification claimed by
    /// exactly one, and each paced (Slack) channel's notifications all in one claim.
    @Test func twoNodesNeverClaimTheSameNotification() async throws {
        try await ScratchPostgres.withDatabase { url in
            let nodeA = try await PostgresClusterTests.open(url)
            let nodeB = try await PostgresClusterTests.open(url, migrate: false)
            try await nodeA.createChannel(OutboxStoreContractTests.channel("all"))
            let slack = (0..<3).map { PacedOutboxContractTests.slack("slack-\($0)") }
            for channel in slack { try await nodeB.createChannel(channel) }
            for index in 0..<60 { _ = try await OutboxStoreContractTests.openAlert(nodeA, ip: "10.8.0.\(index)") }
            let now = Timestamp.now()
            let claims = try await withThrowingTaskGroup(of: [OutboxEntry].self) { group in
                for round in 0..<12 {
                    let node = round.isMultiple(of: 2) ? nodeA : nodeB
                    group.addTask {
                        try await node.claimDeliveries(node: "n\(round)", now: now, leaseUntil: now.adding(seconds: 60), limit: 7)
                    }
                }
                return try await group.reduce(into: [[OutboxEntry]]()) { $0.append($1) }
            }
            let ids = claims.flatMap { $0.map(\.id) }
            // Every queued notification (one per alert and channel) claimed exactly once.
            let queued = try await PostgresClusterTests.count(nodeA, "SELECT count(*) FROM outbox")
            #expect(queued >= 240 && queued % 4 == 0)
            #expect(ids.count == Int(queued))
            #expect(Set(ids).count == Int(queued))
            for channel in slack {
                let counts = claims.filter { $0.contains { $0.channelID == channel.id } }.map { $0.filter { $0.channelID == channel.id }.count }
                #expect(counts == [Int(queued) / 4], "one message carries all of a paced channel's notifications")
            }
            await nodeA.close()
            await nodeB.close()
        }
    }
}
