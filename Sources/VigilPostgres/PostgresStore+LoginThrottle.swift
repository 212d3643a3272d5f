import PostgresNIO
import VigilCore

extension PostgresStore: LoginThrottleStore {
    public func blockedUntil(_ keys: [LoginThrottleKey], now: Timestamp) async throws -> Timestamp? {
        guard !keys.isEmpty else { return nil }
        let names = keys.map(\.storageKey)
        return try await self.bounded {
            let rows = try await self.client.query(
                "SELECT max(blocked_until) FROM login_failures WHERE key = ANY(\(names)::text[]) AND blocked_until > \(now)",
                logger: self.logger
            )
            for try await until in rows.decode(Timestamp?.self) { return until }
            return nil
        }
    }

    public func recordLoginFailure(_ keys: [LoginThrottleKey], policy: LoginThrottlePolicy, now: Timestamp) async throws -> [LoginFailureState] {
        try await self.bounded {
            try await self.client.withTransaction(logger: self.logger) { connection in
                var states: [LoginFailureState] = []
                for key in keys {
                    // A transaction-scoped advisory lock on the key (there may be no row to lock
                    // yet): nodes counting the same key at once are serialized, no failure is lost.
                    try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(key.storageKey), 0))", logger: self.logger)
                    var previous: LoginFailureState?
                    let rows = try await connection.query(
                        "SELECT count, window_start, blocked_until FROM login_failures WHERE key = \(key.storageKey)",
                        logger: self.logger
                    )
                    for try await (count, windowStart, blockedUntil) in rows.decode((Int32, Timestamp, Timestamp?).self) {
                        previous = LoginFailureState(count: Int(count), windowStart: windowStart, blockedUntil: blockedUntil)
                    }
                    let state = policy.afterFailure(previous, kind: key.kind, now: now)
                    try await connection.query(
                        """
                        INSERT INTO login_failures (key, count, window_start, blocked_until)
                        VALUES (\(key.storageKey), \(Int32(state.count)), \(state.windowStart), \(state.blockedUntil))
                        ON CONFLICT (key) DO UPDATE SET count = excluded.count, window_start = excluded.window_start,
                            blocked_until = excluded.blocked_until
                        """,
                        logger: self.logger
                    )
                    states.append(state)
                }
                return states
            }
        }
    }

    public func clearLoginFailures(_ key: LoginThrottleKey) async throws {
        try await self.bounded {
            try await self.client.query("DELETE FROM login_failures WHERE key = \(key.storageKey)", logger: self.logger)
        }
    }
}
