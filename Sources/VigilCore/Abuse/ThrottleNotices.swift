import Synchronization

/// Remembers which blocks were already put on record, so a blocked key's every further attempt
/// does not write another `auth.throttled` (one record per key and block, per node).
public final class ThrottleNotices: Sendable {
    private let recorded = Mutex<[String: Timestamp]>([:])
    let maxKeys: Int

    public init(maxKeys: Int = 100_000) {
        self.maxKeys = maxKeys
    }

    /// True the first time `key` is seen blocked until `until`.
    public func isNew(_ key: String, until: Timestamp, now: Timestamp) -> Bool {
        self.recorded.withLock { recorded in
            if recorded[key] == until { return false }
            if recorded.count >= self.maxKeys {
                recorded = recorded.filter { $0.value > now }
                if recorded.count >= self.maxKeys { recorded.removeAll() }
            }
            recorded[key] = until
            return true
        }
    }
}
