import PostgresNIO
import VigilCore

extension PostgresStore: SettingsStore {
    public func setting(_ key: String, orInsert makeValue: @Sendable () -> String) async throws -> String {
        let candidate = makeValue()
        return try await self.bounded {
            try await self.client.withConnection { connection in
                // Two statements, so the SELECT's snapshot includes a row another node committed
                // while our INSERT waited on it.
                try await connection.query(
                    "INSERT INTO settings (key, value) VALUES (\(key), \(candidate)) ON CONFLICT (key) DO NOTHING",
                    logger: self.logger
                )
                let rows = try await connection.query("SELECT value FROM settings WHERE key = \(key)", logger: self.logger)
                for try await value in rows.decode(String.self) { return value }
                throw VigilError.unavailable(retryAfter: PostgresFailure.retryAfterSeconds)
            }
        }
    }
}
