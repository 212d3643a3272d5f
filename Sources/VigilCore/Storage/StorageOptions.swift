/// Engine settings for `StorageEngine.open`; each engine reads the ones that concern it.
public struct StorageOptions: Sendable {
    /// `synchronous=FULL` for SQLite (fsync on every commit).
    public var sqliteSynchronousFull: Bool
    /// PostgreSQL connections per node.
    public var poolSize: Int
    /// The longest any database call may take before the request fails with 503 (PostgreSQL).
    public var timeoutSeconds: Int

    public init(sqliteSynchronousFull: Bool = true, poolSize: Int = 10, timeoutSeconds: Int = 5) {
        self.sqliteSynchronousFull = sqliteSynchronousFull
        self.poolSize = poolSize
        self.timeoutSeconds = timeoutSeconds
    }
}
