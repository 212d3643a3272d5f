import Logging
import PostgresNIO
import VigilCore

/// The versioned schema of the PostgreSQL backend, applied in order under a session advisory
/// lock, each migration in its own transaction with its row in `schema_migrations`: N nodes
/// starting at once apply every migration exactly once. Never edit a released migration.
enum PostgresMigrations {
    struct Migration {
        let version: Int
        let name: String
        let statements: [String]
    }

    /// Advisory-lock key of the migration step (any constant unique to Vigil).
    static let lockKey: Int64 = 0x5649_4749_4C00_0001

    /// Every version in order; each era lives in its own file (`PostgresMigrations+V1toV4.swift`, …).
    static let all: [Migration] = v1toV4 + v5toV7 + v8toV9 + v10 + v11 + v12

    /// Applies every migration not yet recorded; returns the versions it applied. Holds the
    /// advisory lock on one connection for the whole run, so concurrent callers wait, then find
    /// nothing left to do.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws -> [Int] {
        try await client.withConnection { connection in
            // Try, then wait a little, rather than one blocking pg_advisory_lock: a wait longer
            // than the connection's statement_timeout would fail, and a failure must never be
            // mistaken for holding the lock (two nodes migrating at once).
            while true {
                let locked = try await connection.query("SELECT pg_try_advisory_lock(\(lockKey))", logger: logger).collect()
                if try locked.first?.decode(Bool.self) == true { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            do {
                let applied = try await self.applyPending(on: connection, logger: logger)
                _ = try await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger).collect()
                return applied
            } catch {
                // If the connection is still alive, do not hand it back to the pool holding the lock.
                _ = try? await connection.query("SELECT pg_advisory_unlock_all()", logger: logger)
                throw error
            }
        }
    }

    private static func applyPending(on connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            logger: logger
        )
        var done = Set<Int>()
        for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger).decode(Int32.self) {
            done.insert(Int(version))
        }
        var applied: [Int] = []
        for migration in all where !done.contains(migration.version) {
            try await connection.withTransaction(logger: logger) { connection in
                // A migration may rewrite a large table; the per-request timeout is not for it.
                try await connection.query("SET LOCAL statement_timeout = 0", logger: logger)
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(Int32(migration.version)), \(migration.name))",
                    logger: logger
                )
            }
            logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            applied.append(migration.version)
        }
        return applied
    }
}
