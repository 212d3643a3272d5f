import Foundation
import PostgresNIO
import Testing
import VigilCore
import VigilPostgres
import VigilTestSupport

/// The committed log's horizon on PostgreSQL counts only this database's transactions.
@Suite(.enabled(if: ScratchPostgres.isConfigured, "set VIGIL_TEST_POSTGRES_URL to run the PostgreSQL suites"))
struct PostgresLogHorizonTests {
    /// A transaction holding an id in another database of the cluster (a report, another
    /// application, `CREATE DATABASE`) holds back a snapshot's xmin; it must not hold back
    /// Vigil's followers, which would stop detecting and notifying for as long as it runs.
    @Test func aTransactionInAnotherDatabaseDoesNotHoldTheLogBack() async throws {
        try await ScratchPostgres.withDatabase { vigilURL in
            try await ScratchPostgres.withDatabase { otherURL in
                let store = try await PostgresClusterTests.open(vigilURL)
                let other = try await PostgresClusterTests.open(otherURL, migrate: false)
                let gate = Gate()
                let holder = Task {
                    try await other.client.withTransaction(logger: StoreBackend.logger) { connection in
                        _ = try await connection.query("SELECT pg_current_xact_id()", logger: StoreBackend.logger).collect()
                        await gate.opened()
                    }
                }
                try await eventually("the other database's transaction took an id") { await gate.isWaiting }
                let event = Fixtures.event("while another database works")
                _ = try await store.write([[event]])
                let held = try await store.client.query(
                    "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint < max(tx::text::bigint) FROM events",
                    logger: StoreBackend.logger
                ).collect()
                #expect(try held[0].decode(Bool.self), "the cluster's xmin is behind the event, so the test means something")
                let read = try await store.committedEvents(after: nil, limit: 10)
                #expect(read.events.map(\.id) == [event.event.id], "read at once, while the other transaction still runs")
                await gate.open()
                try await holder.value
                await other.close()
                await store.close()
            }
        }
    }
}
