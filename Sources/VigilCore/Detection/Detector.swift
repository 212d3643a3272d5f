import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Follows the committed event log from the stored checkpoint, evaluates the enabled rules and
/// commits the resulting alert changes together with the next checkpoint (`AlertStore.commitDetection`),
/// so a crash anywhere replays from the checkpoint with no duplicate effects, and no event is
/// evaluated twice or skipped.
///
/// Threshold windows live in memory; on start they are rebuilt by replaying the events before
/// the checkpoint whose time lies within the longest window of the newest event evaluated — a
/// window that spans a restart still fires. Any error restarts from the stored checkpoint (the
/// in-memory state may have run ahead of what was committed).
///
/// On SQLite it runs as a `Service`; on PostgreSQL only the leader runs it (`follow()` as a
/// leadership worker), and the checkpoint compare-and-set stops a deposed leader that has not
/// noticed yet from committing anything.
public struct Detector: Service {
    public struct Configuration: Sendable {
        /// Events read and committed per step.
        public var batchSize: Int
        /// How often the log is polled without a local wake-up (other nodes' commits).
        public var pollInterval: Duration
        /// Pause before restarting after an error.
        public var retryDelay: Duration

        public init(batchSize: Int = 1000, pollInterval: Duration = .milliseconds(200), retryDelay: Duration = .seconds(1)) {
            self.batchSize = batchSize
            self.pollInterval = pollInterval
            self.retryDelay = retryDelay
        }
    }

    let log: any EventLogReader
    let alerts: any AlertStore
    let rules: any RuleStore
    let signal: CommitSignal
    let configuration: Configuration
    let logger: Logger
    let evaluated: Counter
    let opened: Counter
    let lag: Metrics.Timer

    public init(
        log: any EventLogReader,
        alerts: any AlertStore,
        rules: any RuleStore,
        signal: CommitSignal,
        configuration: Configuration = .init(),
        logger: Logger,
        metrics: any MetricsFactory
    ) {
        self.log = log
        self.alerts = alerts
        self.rules = rules
        self.signal = signal
        self.configuration = configuration
        self.logger = logger
        self.evaluated = Counter(label: "vigil_detection_events_total", dimensions: [], factory: metrics)
        self.opened = Counter(label: "vigil_alerts_opened_total", dimensions: [], factory: metrics)
        self.lag = Metrics.Timer(label: "vigil_detection_lag", dimensions: [], factory: metrics)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.follow()
        }
    }

    /// Detects until cancelled, restarting from the stored checkpoint after any error.
    public func follow() async {
        let ticker = Task { [signal, interval = self.configuration.pollInterval] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                signal.notify()
            }
        }
        defer { ticker.cancel() }
        var wakeUps = self.signal.stream.makeAsyncIterator()
        while !Task.isCancelled {
            do {
                try await self.detectFromCheckpoint(wakeUps: &wakeUps)
            } catch {
                if Task.isCancelled { break }
                self.logger.warning("detection restarts from its checkpoint", metadata: ["error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: self.configuration.retryDelay)
            }
        }
    }

    private func detectFromCheckpoint(wakeUps: inout AsyncStream<Void>.Iterator) async throws {
        var checkpoint = try await self.alerts.detectorCheckpoint()
        var engine = DetectionEngine(rules: try await self.rules.rules())
        try await self.replay(into: &engine, before: checkpoint)
        while true {
            try Task.checkCancellation()
            let batch = try await self.log.committedEvents(after: checkpoint?.position, limit: self.configuration.batchSize)
            if batch.events.isEmpty {
                guard await wakeUps.next() != nil else { throw CancellationError() }
                continue
            }
            // Rules are read per step so an edit applies from the next event on.
            engine.update(rules: try await self.rules.rules())
            var triggers: [Trigger] = []
            var newest = checkpoint?.newestEventTime
            for event in batch.events {
                triggers += engine.evaluate(event)
                newest = max(newest ?? event.occurredAt, event.occurredAt)
            }
            let next = DetectorCheckpoint(position: batch.position, newestEventTime: newest)
            let result = try await self.alerts.commitDetection(
                DetectionCommit(expected: checkpoint, next: next, triggers: triggers, now: .now())
            )
            checkpoint = next
            self.evaluated.increment(by: batch.events.count)
            if !result.opened.isEmpty { self.opened.increment(by: result.opened.count) }
            if let last = batch.events.last {
                self.lag.recordMicroseconds(max(0, Timestamp.now().microseconds - last.receivedAt.microseconds))
            }
        }
    }

    /// Rebuilds threshold windows from the already evaluated events that can still count.
    private func replay(into engine: inout DetectionEngine, before checkpoint: DetectorCheckpoint?) async throws {
        guard let position = checkpoint?.position, let newest = checkpoint?.newestEventTime, engine.longestWindowSeconds > 0 else { return }
        var range = LogRange(through: position, occurredFrom: newest.adding(seconds: -Int64(engine.longestWindowSeconds)))
        var replayed = 0
        while true {
            let batch = try await self.log.committedEvents(in: range, limit: 5000)
            for event in batch.events { engine.replay(event) }
            replayed += batch.events.count
            guard batch.events.count == 5000 else { break }
            range.after = batch.position
        }
        self.logger.info("detection windows rebuilt", metadata: ["events": "\(replayed)", "groups": "\(engine.trackedGroups)"])
    }
}
