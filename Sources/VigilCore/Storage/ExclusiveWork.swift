/// Long-running background work that must run in exactly one process per database (the
/// detector): `run` loops until its task is cancelled. On SQLite the one process runs it for
/// its whole life; on PostgreSQL the leader runs it while it leads and cancels it when it
/// stops leading.
public struct ExclusiveWork: Sendable {
    public var name: String
    public var run: @Sendable () async -> Void

    public init(name: String, run: @escaping @Sendable () async -> Void) {
        self.name = name
        self.run = run
    }
}
