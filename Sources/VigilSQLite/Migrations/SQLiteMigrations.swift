import Logging
import SQLiteNIO
import VigilCore

/// The versioned schema of the SQLite backend. Migrations are applied in order, each in its own
/// transaction together with its row in `schema_migrations`, so a crash never leaves one half-applied.
/// Never edit a released migration; append a new one.
enum SQLiteMigrations {
    struct Migration {
        let version: Int
        let name: String
        let statements: [String]
    }

    /// Every version in order; each era lives in its own file (`SQLiteMigrations+V1toV4.swift`, …).
    static let all: [Migration] = v1toV4 + v5toV7 + v8toV9 + v10toV11 + v12

    /// Applies every migration not yet recorded; returns the versions it applied.
    static func migrate(_ pool: SQLiteDatabasePool, logger: Logger) async throws -> [Int] {
        try await pool.writeTransaction { connection in
            _ = try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"
            )
        }
        var applied: [Int] = []
        for migration in all {
            // The version check runs inside the write transaction, so two processes migrating
            // the same file at once apply each migration exactly once.
            let didApply = try await pool.writeTransaction { connection -> Bool in
                let rows = try await connection.query("SELECT 1 FROM schema_migrations WHERE version = ?", [.integer(migration.version)])
                guard rows.isEmpty else { return false }
                for statement in migration.statements {
                    _ = try await connection.query(statement)
                }
                _ = try await connection.query(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [.integer(migration.version), .text(migration.name), .integer(Int(Timestamp.now().microseconds))]
                )
                return true
            }
            if didApply {
                logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                applied.append(migration.version)
            }
        }
        return applied
    }
}
