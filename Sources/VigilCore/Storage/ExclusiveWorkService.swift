import ServiceLifecycle

/// Runs one piece of exclusive work for the life of the process: the engine's way when one
/// process owns the database (SQLite), so there is nothing to elect.
public struct ExclusiveWorkService: Service {
    let work: ExclusiveWork

    public init(work: ExclusiveWork) {
        self.work = work
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.work.run()
        }
    }
}
