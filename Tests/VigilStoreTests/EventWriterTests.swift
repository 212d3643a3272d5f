import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization
import Testing
import VigilCore

/// Wraps a store to count commits and optionally hold them until released.
final class GatedStore: EventStore, Sendable {
    let inner: any EventStore
    let commits = Mutex<[Int]>([])
    let gate = Mutex<(closed: Bool, waiters: [CheckedContinuation<Void, Never>], heldEvents: Int)>((false, [], 0))
    let failing = Atomic<Bool>(false)

    init(_ inner: any EventStore) {
        self.inner = inner
    }

    func close() { self.gate.withLock { $0.closed = true } }

    /// Commits currently held at the closed gate.
    var waiting: Int { self.gate.withLock { $0.waiters.count } }

    /// Events in the commits held at the closed gate.
    var heldEvents: Int { self.gate.withLock { $0.heldEvents } }

    func open() {
        let waiters = self.gate.withLock { state in
            state.closed = false
            state.heldEvents = 0
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func write(_ submissions: [[PreparedEvent]]) async throws -> [SubmissionResult] {
        await withCheckedContinuation { continuation in
            let wait = self.gate.withLock { state in
                if state.closed {
                    state.waiters.append(continuation)
                    state.heldEvents += submissions.reduce(0) { $0 + $1.count }
                }
                return state.closed
            }
            if !wait { continuation.resume() }
        }
        if self.failing.load(ordering: .relaxed) { throw CancellationError() }
        self.commits.withLock { $0.append(submissions.count) }
        return try await self.inner.write(submissions)
    }

    func event(id: UUID) async throws -> Event? { try await self.inner.event(id: id) }
    func events(matching query: EventQuery) async throws -> EventPage { try await self.inner.events(matching: query) }
}

/// Waits (bounded) until `condition` holds, so tests do not depend on sleeps being long enough.
func eventually(_ what: String, timeout: Duration = .seconds(20), _ condition: () async -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !(await condition()) {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out waiting for \(what)")
            throw CancellationError()
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}

@Suite struct EventWriterTests {
    static var logger: Logger {
        var logger = Logger(label: "writer-test")
        logger.logLevel = .critical
        return logger
    }

    /// Runs `body` with a writer service running in a service group, then shuts it down gracefully.
    func withWriter(
        _ store: GatedStore,
        configuration: EventWriter.Configuration = .init(),
        _ body: @Sendable (EventWriter) async throws -> Void
    ) async throws {
        let writer = EventWriter(store: store, configuration: configuration, logger: Self.logger, metrics: NOOPMetricsHandler.instance)
        let group = ServiceGroup(services: [writer], logger: Self.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await body(writer)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func concurrentAppendsShareCommits() async throws {
        try await StoreBackend.sqliteFile.withStore { inner in
            let store = GatedStore(inner)
            try await withWriter(store) { writer in
                store.close()
                defer { store.open() }  // never leave a commit parked if an expectation fails
                let results = try await withThrowingTaskGroup(of: SubmissionResult.self) { group in
                    for index in 0..<200 {
                        group.addTask { try await writer.append([Fixtures.event("c\(index)")]) }
                    }
                    // Let the queue fill while the first commit is held, then release it.
                    try await eventually("all 200 events held or queued") { await writer.queuedEventCount + store.heldEvents == 200 }
                    store.open()
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(results.count == 200)
                #expect(results.allSatisfy { if case .committed = $0 { true } else { false } })
                let commits = store.commits.withLock { $0 }
                #expect(commits.reduce(0, +) == 200)
                #expect(commits.count <= 3, "200 queued appends should take at most a few commits, took \(commits.count)")
                var all = EventQuery()
                all.limit = 1000
                #expect(try await inner.events(matching: all).items.count == 200)
            }
        }
    }

    @Test func fullQueueIsRejectedAsOverloaded() async throws {
        try await StoreBackend.sqliteMemory.withStore { inner in
            let store = GatedStore(inner)
            try await withWriter(store, configuration: .init(maxQueuedEvents: 10, maxBatchEvents: 10)) { writer in
                store.close()
                defer { store.open() }  // never leave a commit parked if an expectation fails
                let first = Task { try await writer.append([Fixtures.event("held")]) }
                try await eventually("the first commit to start") { store.waiting > 0 }
                let queued = Task { try await writer.append((0..<10).map { Fixtures.event("q\($0)") }) }
                try await eventually("10 queued events") { await writer.queuedEventCount == 10 }
                await #expect(throws: VigilError.overloaded(retryAfter: 1)) { try await writer.append([Fixtures.event("extra")]) }
                store.open()
                _ = try await first.value
                _ = try await queued.value
            }
        }
    }

    @Test func shutdownDrainsQueuedAppendsThenRefuses() async throws {
        try await StoreBackend.sqliteMemory.withStore { inner in
            let store = GatedStore(inner)
            let writer = EventWriter(store: store, logger: Self.logger, metrics: NOOPMetricsHandler.instance)
            let group = ServiceGroup(services: [writer], logger: Self.logger)
            let running = Task { try await group.run() }
            store.close()
            defer { store.open() }  // never leave a commit parked if an expectation fails
            let pending = (0..<20).map { index in Task { try await writer.append([Fixtures.event("d\(index)")]) } }
            try await eventually("all 20 events held or queued") { await writer.queuedEventCount + store.heldEvents == 20 }
            await group.triggerGracefulShutdown()
            try await eventually("the writer to stop accepting") { await !writer.isAccepting }
            await #expect(throws: VigilError.unavailable(retryAfter: 1)) { try await writer.append([Fixtures.event("late")]) }
            store.open()
            for task in pending { _ = try await task.value }
            try await running.value
            var all = EventQuery()
            all.limit = 100
            #expect(try await inner.events(matching: all).items.count == 20)
        }
    }

    @Test func failedCommitReportsUnavailableAndWritesNothing() async throws {
        try await StoreBackend.sqliteMemory.withStore { inner in
            let store = GatedStore(inner)
            try await withWriter(store) { writer in
                store.failing.store(true, ordering: .relaxed)
                await #expect(throws: VigilError.unavailable(retryAfter: 1)) { try await writer.append([Fixtures.event("lost")]) }
                store.failing.store(false, ordering: .relaxed)
                _ = try await writer.append([Fixtures.event("kept")])
                var all = EventQuery()
                all.limit = 10
                #expect(try await inner.events(matching: all).items.map(\.type) == ["kept"])
            }
        }
    }

    @Test func concurrentCommitsAreBoundedAndShutdownWaitsForThem() async throws {
        try await StoreBackend.sqliteMemory.withStore { inner in
            let store = GatedStore(inner)
            let writer = EventWriter(
                store: store,
                configuration: .init(maxBatchEvents: 1, maxConcurrentCommits: 2),
                logger: Self.logger,
                metrics: NOOPMetricsHandler.instance
            )
            let group = ServiceGroup(services: [writer], logger: Self.logger)
            let running = Task { try await group.run() }
            store.close()
            defer { store.open() }  // never leave a commit parked if an expectation fails
            let pending = (0..<5).map { index in Task { try await writer.append([Fixtures.event("p\(index)")]) } }
            // Two commits start at once; the other three wait in the queue, not in the store.
            try await eventually("two commits in flight") { store.waiting == 2 }
            try await eventually("three events queued") { await writer.queuedEventCount == 3 }
            try await Task.sleep(for: .milliseconds(50))
            #expect(store.waiting == 2)
            await group.triggerGracefulShutdown()
            store.open()
            for task in pending { _ = try await task.value }
            try await running.value
            #expect(store.commits.withLock { $0.count } == 5)
            var all = EventQuery()
            all.limit = 100
            #expect(try await inner.events(matching: all).items.count == 5)
        }
    }
}
