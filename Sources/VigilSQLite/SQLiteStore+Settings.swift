import SQLiteNIO
import VigilCore

extension SQLiteStore: SettingsStore {
    public func setting(_ key: String, orInsert makeValue: @Sendable () -> String) async throws -> String {
        try await self.pool.writeTransaction { connection in
            _ = try await connection.query(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                [.text(key), .text(makeValue())]
            )
            guard let value = try await connection.query("SELECT value FROM settings WHERE key = ?", [.text(key)]).first?.string("value")
            else { throw VigilError.unavailable(retryAfter: 1) }
            return value
        }
    }
}
