import Logging
import PostgresNIO
import VigilCore

/// The end of the committed log a follower may read: the oldest transaction still running in
/// this database, or the snapshot's xmax (every id below it had started) when none is. Every
/// event below it belongs to a transaction that has ended, so a later statement sees all of
/// them or, for a rollback, none.
///
/// A snapshot's xmin would be the same bound for the whole cluster: any transaction in another
/// database (a long report, `CREATE DATABASE`, a migration of another application) would stall
/// Vigil's detector, notifications and rollups for as long as it runs. Only a backend connected
/// to this database can write its events, so only this database's transactions (and prepared
/// ones) count.
///
/// The horizon must come from its own statement, before the statement that reads below it: the
/// xmax is taken with the statement's snapshot and the running transactions after it, so a
/// transaction older than that snapshot is either listed as running or has ended; a later
/// statement's snapshot then sees its rows. Read in one statement, a transaction ending between
/// the two would be neither listed nor visible, and a follower would move past it.
///
/// Reading it costs more than the log read itself (the backend table is copied), so readers
/// ask for it only when the cheap bound — the snapshot's xmin — holds rows back.
enum PostgresLogHorizon {
    /// One row, one column: the horizon as `xid8` text. The functions behind `pg_stat_activity`
    /// and `pg_prepared_xacts` (callable by every role, and without the views' joins: 0.6 ms
    /// instead of 1.4 ms a call) report 32-bit ids; each is widened against the snapshot's
    /// 64-bit xmax, and ids at or after it are ignored, since nothing at or after the xmax is
    /// read anyway.
    static let sql: PostgresQuery = """
        SELECT (least(s.next, min(s.next - (4294967296 - r.d)) FILTER (WHERE r.d >= 2147483648)))::text
        FROM (
            SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS next,
                (SELECT oid FROM pg_database WHERE datname = current_database()) AS db
        ) s
        LEFT JOIN LATERAL (
            SELECT ((x - s.next % 4294967296) % 4294967296 + 4294967296) % 4294967296 AS d FROM (
                SELECT a.backend_xid::text::bigint AS x FROM pg_stat_get_activity(NULL) a
                WHERE a.datid = s.db AND a.backend_xid IS NOT NULL
                UNION ALL SELECT p.transaction::text::bigint FROM pg_prepared_xact() p WHERE p.dbid = s.db
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
