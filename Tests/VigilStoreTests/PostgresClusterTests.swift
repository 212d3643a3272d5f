import Foundation
import Logging
import Metrics
import PostgresNIO
import Synchronization
import Testing
import VigilCore
import VigilPostgres
import VigilTestSupport

/// What only PostgreSQL has to prove: several nodes (separate pools) on one database,
/// migrations under a lock, monthly partitions, leadership, failing fast when unreachable.
@Suite(.enabled(if: ScratchPostgres.isConfigured, "set VIGIL_TEST_POSTGRES_URL to run the PostgreSQL suites"))
struct PostgresClusterTests {
    /// Every schema version of the PostgreSQL backend.
    static let migrations = Array(1...12)

    static func location(_ url: String) throws -> PostgresLocation {
        try #require(try PostgresLocation(url: url))
    }

    static func open(_ url: String, migrate: Bool = true) async throws -> PostgresStore {
        try await PostgresStore.open(try location(url), migrate: migrate, logger: StoreBackend.logger)
    }

    static func count(_ store: PostgresStore, _ sql: String) async throws -> Int64 {
        var total: Int64 = 0
        for try await value in try await store.client.query(PostgresQuery(unsafeSQL: sql)).decode(Int64.self) { total = value }
        return total
    }

    @Test func twoNodesStoreEachClientIDOnce() async throws {
        try await ScratchPostgres.withDatabase { url in
            let nodeA = try await Self.open(url)
            let nodeB = try await Self.open(url, migrate: false)
            let ids = (0..<40).map { _ in UUID.v7() }
            // Every round submits the same 40 client ids through both nodes at once.
            let outcomes = try await withThrowingTaskGroup(of: [SubmissionResult].self) { group in
                for round in 0..<8 {
                    let node = round.isMultiple(of: 2) ? nodeA : nodeB
                    group.addTask {
                        try await node.write(ids.map { [Fixtures.event("retry", id: $0, at: 5)] })
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            var created = 0
            for outcome in outcomes {
                guard case .committed(let items) = outcome else {
                    Issue.record("same content must never conflict: \(outcome)")
                    continue
                }
                created += items.filter { !$0.isDuplicate }.count
            }
            #expect(created == 40)
            #expect(try await Self.count(nodeA, "SELECT count(*) FROM events") == 40)
            #expect(try await Self.count(nodeB, "SELECT count(DISTINCT id) FROM events") == 40)
            await nodeA.close()
            await nodeB.close()
        }
    }

    @Test func concurrentMigrationsApplyEachVersionOnce() async throws {
        try await ScratchPostgres.withDatabase { url in
            var nodes: [PostgresStore] = []
            for _ in 0..<4 { nodes.append(try await Self.open(url, migrate: false)) }
            let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                for node in nodes { group.addTask { try await node.migrate() } }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(applied.sorted() == Self.migrations)
            #expect(try await Self.count(nodes[0], "SELECT count(*) FROM schema_migrations") == Int64(Self.migrations.count))
            for node in nodes { await node.close() }
        }
    }

    /// A node waiting for the migration lock longer than its statement timeout (the request
    /// timeout, 5 s here) keeps waiting; it must not take the timeout for the lock and migrate
    /// alongside the holder.
    @Test func waitingForTheMigrationLockOutlastsTheStatementTimeout() async throws {
        try await ScratchPostgres.withDatabase { url in
            let holder = try await Self.open(url, migrate: false)
            let waiter = try await Self.open(url, migrate: false)
            let locked = Mutex(false)
            let holding = Task { () async throws -> Date in
                try await holder.client.withConnection { connection in
                    _ = try await connection.query("SELECT pg_advisory_lock(\(Int64(0x5649_4749_4C00_0001)))", logger: StoreBackend.logger)
                        .collect()
                    locked.withLock { $0 = true }
                    try await Task.sleep(for: .seconds(6))
                    // The server's clock, like `schema_migrations.applied_at`.
                    let released = try await connection.query("SELECT clock_timestamp()", logger: StoreBackend.logger).collect()
                    _ = try await connection.query("SELECT pg_advisory_unlock_all()", logger: StoreBackend.logger).collect()
                    return try released[0].decode(Date.self)
                }
            }
            while !locked.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
            #expect(try await waiter.migrate() == Self.migrations)
            let released = try await holding.value
            let first = try await waiter.client.query("SELECT min(applied_at) FROM schema_migrations", logger: StoreBackend.logger).collect()
            #expect(try first[0].decode(Date.self) >= released, "migrated while another node held the lock")
            await holder.close()
            await waiter.close()
        }
    }

    @Test func partitionsAreCreatedAheadAndAdoptRowsFromDefault() async throws {
        try await ScratchPostgres.withDatabase { url in
            let store = try await Self.open(url)
            let logger = StoreBackend.logger
            let current = try await PostgresPartitions.existing(store.client, logger: logger)
            #expect(current.count == 5, "previous, current and three months ahead: \(current)")
            // An event far in the future has no partition yet: it lands in the default one.
            let future = Timestamp(rfc3339: "2031-05-10T12:00:00Z")!
            var event = Fixtures.event("late")
            event.event.occurredAt = future
            _ = try await store.write([[event]])
            let partitionOf = "SELECT count(*) FROM events WHERE tableoid = 'events_default'::regclass"
            #expect(try await Self.count(store, partitionOf) == 1)
            let created = try await PostgresPartitions.ensure(store.client, now: future, monthsAhead: 1, logger: logger)
            #expect(created == ["events_p2031_04", "events_p2031_05", "events_p2031_06"])
            #expect(try await Self.count(store, partitionOf) == 0)
            #expect(try await Self.count(store, "SELECT count(*) FROM events_p2031_05") == 1)
            #expect(try await store.event(id: event.event.id) == event.event)
            #expect(try await PostgresPartitions.ensure(store.client, now: future, monthsAhead: 1, logger: logger) == [])
            await store.close()
        }
    }

    @Test func exactlyOneLeaderAndFailoverWhenItDies() async throws {
        try await ScratchPostgres.withDatabase { url in
            let runs = DutyLog()
            let nodeA = try await Self.open(url)
            let nodeB = try await Self.open(url, migrate: false)
            let leaderA = runs.leadership("a", nodeA)
            let leaderB = runs.leadership("b", nodeB)
            let taskA = Task { try await leaderA.run() }
            let taskB = Task { try await leaderB.run() }
            try await Task.sleep(for: .seconds(1))
            let first = runs.snapshot()
            #expect(first.count == 1, "exactly one node runs the duty: \(first)")
            let leader = try #require(first.keys.first)
            // The leader dies: its pool closes, PostgreSQL ends its sessions and the lock is free.
            if leader == "a" {
                taskA.cancel()
                await nodeA.close()
            } else {
                taskB.cancel()
                await nodeB.close()
            }
            runs.reset()
            try await Task.sleep(for: .seconds(1.5))
            let after = runs.snapshot()
            #expect(after.keys.sorted() == [leader == "a" ? "b" : "a"], "the other node took over: \(after)")
            taskA.cancel()
            taskB.cancel()
            await nodeA.close()
            await nodeB.close()
        }
    }

    @Test func followersNeverSkipATransactionThatCommitsLate() async throws {
        try await ScratchPostgres.withDatabase { url in
            let store = try await Self.open(url)
            let late = Fixtures.event("late")
            let early = Fixtures.event("early")
            let gate = Gate()
            // Transaction A starts first (lower transaction id), inserts, and waits.
            let holder = Task {
                try await store.client.withTransaction(logger: StoreBackend.logger) { connection in
                    try await connection.query(
                        """
                        INSERT INTO events (id, type, occurred_at, received_at, severity, outcome, details, ingested_by, content_hash, facets, search)
                        VALUES (\(late.event.id), 'late', now(), now(), 0, 'unknown', '{}', 'test', 'h', '{}', '')
                        """,
                        logger: StoreBackend.logger
                    )
                    await gate.opened()
                }
            }
            try await eventually("transaction A inserted") { await gate.isWaiting }
            // Transaction B starts later and commits first.
            _ = try await store.write([[early]])
            let whileOpen = try await store.committedEvents(after: nil, limit: 100)
            #expect(whileOpen.events.isEmpty, "nothing at or after the oldest running transaction may be returned")
            await gate.open()
            try await holder.value
            let (seen, _) = try await EventLogContractTests.follow(store, from: whileOpen.position, expecting: 2)
            #expect(seen == [late.event.id, early.event.id], "A (started first) then B; a 'highest id seen' reader would have lost A")
            await store.close()
        }
    }

    @Test func aRowThatDoesNotDecodeIsAnErrorNotAnOutage() async throws {
        try await ScratchPostgres.withDatabase { url in
            let store = try await Self.open(url)
            let id = UUID.v7()
            try await store.client.query(
                """
                INSERT INTO events (id, type, occurred_at, received_at, severity, outcome, details, ingested_by, content_hash, facets, search)
                VALUES (\(id), 'odd', now(), now(), 99, 'unknown', '{}', 'test', 'h', '{}', '')
                """
            )
            do {
                _ = try await store.event(id: id)
                Issue.record("a severity of 99 decoded")
            } catch let error as VigilError {
                Issue.record("a bad row must not look like an outage: \(error)")
            } catch {}
            // The outage gate stayed open: the next call reaches the database at once.
            #expect(try await store.event(id: UUID.v7()) == nil)
            await store.close()
        }
    }

    @Test func unreachableDatabaseFailsFastAndSaysWhy() async throws {
        // A port nothing listens on: connection refused, retried by the pool until the deadline.
        let location = try #require(try PostgresLocation(url: "postgres://vigil:x@127.0.0.1:1/vigil?sslmode=disable"))
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try await PostgresStore.open(location, options: .init(poolSize: 2, timeout: .seconds(1)), logger: StoreBackend.logger)
            Issue.record("opened a store on a closed port")
        } catch let error as PostgresUnreachable {
            #expect(error.reason.contains("refused"), "\(error.reason)")
            #expect(!error.description.contains(":x@"), "no password in the message")
        }
        // One timeout for the ping, the diagnosis, and closing the pool that was retrying.
        #expect(clock.now - start < .seconds(6))
    }

    @Test func wrongPasswordIsNamedAtStartup() async throws {
        try await ScratchPostgres.withDatabase { url in
            let good = try Self.location(url)
            var bad = good
            bad.password = "not-the-password"
            do {
                _ = try await PostgresStore.open(bad, options: .init(poolSize: 2, timeout: .seconds(2)), logger: StoreBackend.logger)
                Issue.record("opened a store with a wrong password")
            } catch let error as PostgresUnreachable {
                #expect(error.reason.contains("password authentication failed"), "\(error.reason)")
            }
        }
    }
}

/// Which node ran the leader's duty how often.
private final class DutyLog: Sendable {
    private let runs = Mutex<[String: Int]>([:])

    func leadership(_ name: String, _ store: PostgresStore) -> PostgresLeadership {
        PostgresLeadership(
            store: store,
            duties: [.init(name: "count", interval: .milliseconds(50)) { self.runs.withLock { $0[name, default: 0] += 1 } }],
            heartbeat: .milliseconds(50),
            retryInterval: .milliseconds(100),
            metrics: NOOPMetricsHandler.instance
        )
    }

    func snapshot() -> [String: Int] { self.runs.withLock { $0 } }
    func reset() { self.runs.withLock { $0 = [:] } }
}
