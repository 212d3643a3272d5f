import SQLiteNIO
import VigilCore

extension SQLiteStore: LoginThrottleStore {
    public func blockedUntil(_ keys: [LoginThrottleKey], now: Timestamp) async throws -> Timestamp? {
        guard !keys.isEmpty else { return nil }
        let placeholders = Array(repeating: "?", count: keys.count).joined(separator: ",")
        let rows = try await self.pool.read { connection in
            try await connection.query(
                "SELECT max(blocked_until) AS until FROM login_failures WHERE key IN (\(placeholders)) AND blocked_until > ?",
                keys.map { .text($0.storageKey) } + [.integer(Int(now.microseconds))]
            )
        }
        guard let value = rows.first?.column("until"), !value.isNull, let micros = value.integer else { return nil }
        return Timestamp(microseconds: Int64(micros))
    }

    public func recordLoginFailure(_ keys: [LoginThrottleKey], policy: LoginThrottlePolicy, now: Timestamp) async throws -> [LoginFailureState] {
        try await self.pool.writeTransaction { connection in
            var states: [LoginFailureState] = []
            for key in keys {
                let row = try await connection.query(
                    "SELECT count, window_start, blocked_until FROM login_failures WHERE key = ?",
                    [.text(key.storageKey)]
                ).first
                let previous = row.map { row in
                    LoginFailureState(
                        count: Int(row.int64("count")),
                        windowStart: Timestamp(microseconds: row.int64("window_start")),
                        blockedUntil: row.column("blocked_until")?.integer.map { Timestamp(microseconds: Int64($0)) }
                    )
                }
                let state = policy.afterFailure(previous, kind: key.kind, now: now)
                _ = try await connection.query(
                    """
                    INSERT INTO login_failures (key, count, window_start, blocked_until) VALUES (?, ?, ?, ?)
                    ON CONFLICT (key) DO UPDATE SET count = excluded.count, window_start = excluded.window_start,
                        blocked_until = excluded.blocked_until
                    """,
                    [
                        .text(key.storageKey), .integer(state.count), .integer(Int(state.windowStart.microseconds)),
                        state.blockedUntil.map { .integer(Int($0.microseconds)) } ?? .null,
                    ]
                )
                states.append(state)
            }
            return states
        }
    }

    public func clearLoginFailures(_ key: LoginThrottleKey) async throws {
        try await self.pool.writeTransaction { connection in
            _ = try await connection.query("DELETE FROM login_failures WHERE key = ?", [.text(key.storageKey)])
        }
    }
}
