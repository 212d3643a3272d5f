import Logging
import PostgresNIO
import VigilCore

/// The end of the committed log a follower may read: the oldest transaction still running in
/// this database, or the next transaction id when none is. Every event below it belongs to a
/// transaction that has ended, so a later statement sees all of them or, for a rollback, none.
///
/// A snapshot's xmin would be the same bound for the whole cluster: any transaction in another
/// database (a long report, `CREATE DATABASE`, a migration of another application) would stall
/// Vigil's detector, notifications and rollups for as long as it runs. Only a backend connected
/// to this database can write its events, so only this database's transactions (and prepared
/// ones) count.
///
/// The horizon must come from its own statement, before the statement that reads below it: the
/// next id is taken with the statement's snapshot and the running transactions after it, so a
/// transaction older than that snapshot is either listed as running or has ended; a later
/// statement's snapshot then sees its rows. Read in one statement, a transaction ending between
/// the two would be neither listed nor visible, and a follower would move past it.
enum PostgresLogHorizon {
    /// One row, one column: the horizon as `xid8` text. `pg_stat_activity` reports 32-bit ids
    /// (shown to every role); each is widened against the snapshot's 64-bit next id, and ids at
    /// or after it (taken after the snapshot) are ignored, since nothing at or after the next id
    /// is read anyway.
    static let sql: PostgresQuery = """
        SELECT (least(s.next, min(s.next - (4294967296 - r.d)) FILTER (WHERE r.d >= 2147483648)))::text
        FROM (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS next) s
        LEFT JOIN LATERAL (
            SELECT ((x - s.next % 4294967296) % 4294967296 + 4294967296) % 4294967296 AS d FROM (
                SELECT backend_xid::text::bigint AS x FROM pg_stat_activity
                WHERE datname = current_database() AND backend_xid IS NOT NULL
                UNION ALL
                SELECT transaction::text::bigint FROM pg_prepared_xacts WHERE database = current_database()
            ) running
        ) r ON true
        GROUP BY s.next
        """

    /// The horizon as `xid8` text, read on `connection`.
    static func read(on connection: PostgresConnection, logger: Logger) async throws -> String {
        try await self.value(of: try await connection.query(self.sql, logger: logger))
    }

    /// The horizon as `xid8` text, read on any of `client`'s connections.
    static func read(on client: PostgresClient, logger: Logger) async throws -> String {
        try await self.value(of: try await client.query(self.sql, logger: logger))
    }

    private static func value(of rows: PostgresRowSequence) async throws -> String {
        for try await horizon in rows.decode(String.self) { return horizon }
        throw CorruptRow(table: "pg_stat_activity")
    }
}
