import PostgresNIO

/// Owns the task that runs the client's connection pool, which must run for any query to
/// proceed: the process's one unstructured task, kept on purpose. Storage is opened and
/// migrated before the service group starts, so a startup problem (unreachable server, bad
/// schema) is told to the operator before anything listens. `PostgresStore.close()` ends it by
/// cancellation and waits; the server's `ShutdownHook` (last service to stop) and the CLI's
/// `Storage.withStorage` scope are the two callers.
///
/// A final class whose only stored property is an immutable `Task`, so `Sendable` as is.
final class ClientRunner: Sendable {
    private let task: Task<Void, Never>

    init(_ client: PostgresClient) {
        self.task = Task { await client.run() }
    }

    func stop() async {
        self.task.cancel()
        await self.task.value
    }
}
