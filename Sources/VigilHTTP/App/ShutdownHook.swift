import ServiceLifecycle

/// Runs `action` once graceful shutdown begins (or the group is cancelled).
struct ShutdownHook: Service {
    let action: @Sendable () async -> Void

    func run() async throws {
        try? await gracefulShutdown()
        await self.action()
    }
}
