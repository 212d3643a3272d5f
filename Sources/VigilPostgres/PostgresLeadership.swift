import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle
import VigilCore

/// Background work that must run on exactly one node of a cluster — periodic duties (partition
/// maintenance) and long-running workers (the detector) — a `Service` that competes for
/// leadership. Workers start when the node becomes leader and are cancelled when it stops.
///
/// Leadership is a session advisory lock held on one pooled connection for as long as the node
/// leads. The leader checks that connection every `heartbeat`; if it breaks (node partitioned,
/// database restarted) the session and its lock are gone and the node stops leading at once.
/// When a leader dies, PostgreSQL ends its session, and another node's next attempt (every
/// `retryInterval`) takes over. The gauge `vigil_leader` is 1 on the leader, 0 elsewhere.
public struct PostgresLeadership: Service {
    /// One periodic task of the leader. Its errors are logged; the duty runs again next interval.
    public struct Duty: Sendable {
        public var name: String
        public var interval: Duration
        public var run: @Sendable () async throws -> Void

        public init(name: String, interval: Duration, run: @escaping @Sendable () async throws -> Void) {
            self.name = name
            self.interval = interval
            self.run = run
        }
    }

    static let lockKey: Int64 = 0x5649_4749_4C00_0010

    let client: PostgresClient
    let duties: [Duty]
    let workers: [ExclusiveWork]
    let heartbeat: Duration
    let retryInterval: Duration
    let logger: Logger
    let gauge: Gauge

    public init(
        store: PostgresStore,
        duties: [Duty],
        workers: [ExclusiveWork] = [],
        heartbeat: Duration = .seconds(1),
        retryInterval: Duration = .seconds(2),
        metrics: any MetricsFactory
    ) {
        self.client = store.client
        self.duties = duties
        self.workers = workers
        self.heartbeat = heartbeat
        self.retryInterval = retryInterval
        self.logger = store.logger
        self.gauge = Gauge(label: "vigil_leader", factory: metrics)
    }

    public func run() async throws {
        self.gauge.record(0)
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.client.withConnection { connection in try await self.leadIfFree(on: connection) }
                } catch is CancellationError {
                    break
                } catch {
                    self.logger.debug("leadership attempt failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                try? await Task.sleep(for: self.retryInterval)
            }
        }
    }

    private func leadIfFree(on connection: PostgresConnection) async throws {
        var acquired = false
        for try await value in try await connection.query("SELECT pg_try_advisory_lock(\(Self.lockKey))", logger: self.logger).decode(Bool.self) {
            acquired = value
        }
        guard acquired else { return }
        self.logger.notice("this node is now the leader for background work")
        self.gauge.record(1)
        defer { self.gauge.record(0) }
        do {
            try await self.lead(on: connection)
        } catch is CancellationError where Task.isCancelled {
            // Shutting down: the lock is handed back below, nothing was lost.
            self.logger.notice("leadership released at shutdown")
        } catch {
            self.logger.warning("leadership lost", metadata: ["error": "\(String(reflecting: error))"])
        }
        // Never hand a connection still holding the lock back to the pool. An unstructured task,
        // so a cancelled (shutting down) leader still sends the unlock; awaited, so the
        // connection is still leased while it runs.
        let logger = self.logger
        await Task { _ = try? await connection.query("SELECT pg_advisory_unlock_all()", logger: logger) }.value
        if Task.isCancelled { throw CancellationError() }
    }

    /// Runs the workers and the duties while the lock's connection stays healthy; returns only
    /// by throwing, which cancels the workers (and waits for them) before the lock is released.
    private func lead(on connection: PostgresConnection) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in self.workers {
                group.addTask {
                    while !Task.isCancelled {
                        await worker.run()
                        if !Task.isCancelled {
                            self.logger.error("leader worker stopped; restarting it", metadata: ["worker": "\(worker.name)"])
                            try? await Task.sleep(for: self.retryInterval)
                        }
                    }
                }
            }
            try await self.runDuties(on: connection)
        }
    }

    private func runDuties(on connection: PostgresConnection) async throws {
        let clock = ContinuousClock()
        var due = self.duties.map { _ in clock.now }
        while true {
            for (index, duty) in self.duties.enumerated() where due[index] <= clock.now {
                do {
                    try await duty.run()
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    self.logger.error("background duty failed", metadata: ["duty": "\(duty.name)", "error": "\(String(reflecting: error))"])
                }
                due[index] = clock.now.advanced(by: duty.interval)
            }
            try await Task.sleep(for: self.heartbeat)
            // Bounded: a half-open connection must not keep a node believing it leads.
            try await Deadline.run(.seconds(5)) { try await connection.query("SELECT 1", logger: self.logger) }
        }
    }
}
