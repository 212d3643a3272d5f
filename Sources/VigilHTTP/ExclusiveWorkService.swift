import ServiceLifecycle
import VigilCore

/// Runs one piece of exclusive work for the life of the process (SQLite: the only process).
struct ExclusiveWorkService: Service {
    let work: ExclusiveWork

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.work.run()
        }
    }
}
