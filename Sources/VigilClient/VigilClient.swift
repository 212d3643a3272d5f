import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// A client of one Vigil server, authenticated with an API key (`vgl_…`; scope `events:write`
/// to send, `events:read` to query).
///
/// `send` queues events and returns at once, never waiting for the network; the background
/// sender is `run()` — add the client to the app's `ServiceGroup`. It delivers in batches,
/// retries with back-off (each event carries its client id, so a retry after a lost answer
/// is never stored twice), takes out the events Vigil refuses and resends the rest, holds at
/// most `maxQueue` events and `maxQueueBytes` (beyond them `send` drops and counts), and on
/// graceful shutdown delivers what is queued for up to `shutdownTimeout`. The direct calls
/// (`post`, `get`, `query`) throw `VigilClientError` carrying Vigil's problem code.
public final class VigilClient: Service, Sendable {
    let transport: VigilTransport
    let configuration: Configuration
    let logger: Logger
    let queue: SendQueue
    let doorbell = Doorbell()
    /// Vigil's batch limits: 1000 events, 10 MiB (kept below).
    static let maxBatchEvents = 1000
    static let maxBatchBytes = 9 << 20

    public init(
        url: String,
        apiKey: String,
        configuration: Configuration = Configuration(),
        httpClient: HTTPClient = .shared,
        logger: Logger = Logger(label: "vigil-client")
    ) {
        let trimmed = url.hasSuffix("/") ? String(url.dropLast()) : url
        let seconds = configuration.requestTimeout.components.seconds
        self.transport = VigilTransport(baseURL: trimmed, apiKey: apiKey, httpClient: httpClient, timeout: .seconds(max(1, seconds)))
        var configuration = configuration
        configuration.maxBatch = min(max(1, configuration.maxBatch), Self.maxBatchEvents)
        self.configuration = configuration
        self.logger = logger
        self.queue = SendQueue(maxEvents: configuration.maxQueue, maxBytes: configuration.maxQueueBytes)
    }

    /// Queues one event; false when it was dropped (queue full, or shut down). Throws only
    /// for an event JSON cannot carry (a non-finite number).
    @discardableResult
    public func send(_ event: VigilClientEvent) throws -> Bool {
        try self.send([event]) == 1
    }

    /// Queues events; returns how many were queued.
    @discardableResult
    public func send(_ events: [VigilClientEvent]) throws -> Int {
        let encoder = JSONEncoder()
        let now = ContinuousClock.now
        let items = try events.map { SendQueue.Item(id: $0.id, json: try encoder.encode($0), queuedAt: now) }
        let (queued, dropped) = self.queue.enqueue(items)
        if dropped > 0 {
            self.logger.warning("vigil-client: queue full, events dropped", metadata: ["dropped": "\(dropped)"])
        }
        if queued > 0 { self.doorbell.ring() }
        return queued
    }

    /// Waits until every queued event is delivered or refused; false after `timeout`.
    public func flush(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        self.queue.flushing(1)
        defer { self.queue.flushing(-1) }
        self.doorbell.ring()
        while !self.queue.isEmpty {
            guard ContinuousClock.now < deadline, !Task.isCancelled else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    public var stats: VigilClientStats { self.queue.stats }

    /// The background sender: delivers until graceful shutdown (or cancellation), then
    /// delivers what is queued for up to `shutdownTimeout` and counts the rest as lost.
    public func run() async throws {
        let shutdown = ShutdownDeadline()
        let timeout = self.configuration.shutdownTimeout
        let worker = Task { await self.deliverUntilShutdown(shutdown) }
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await worker.value
            } onGracefulShutdown: {
                shutdown.begin(after: timeout)
                self.queue.close()
                self.doorbell.ring()
                // A request in flight to an unreachable Vigil lasts up to `requestTimeout`:
                // cancel it when the deadline passes, so shutdown keeps its promise.
                Task {
                    try? await Task.sleep(for: timeout)
                    worker.cancel()
                }
            }
        } onCancel: {
            worker.cancel()
        }
    }
}
