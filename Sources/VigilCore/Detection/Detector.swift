import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Follows the committed event log from the stored checkpoint, evaluates the enabled rules and
/// commits the resulting alert changes together with the next checkpoint (`AlertStore.commitDetection`),
/// so a crash anywhere replays from the checkpoint with no duplicate effects, and no event's
/// effects are lost or applied twice. (Steps without effects may be evaluated again after a
/// crash — see `checkpointInterval` — which, being deterministic, again has no effect.)
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
        /// Least time between two reads of the log unless the last read was a full batch: under
        /// load each step then covers many group commits, so detection adds a few commits per
        /// second to the database rather than one per group commit (on SQLite each is an fsync
        /// taken from the ingest writer). At idle the first event is read at once.
        public var minStepInterval: Duration
        /// How long a checkpoint that moved without any alert change may stay unwritten. Such
        /// steps are deterministic and had no effect, so evaluating them again after a crash
        /// changes nothing; not writing them saves a commit per step.
        public var checkpointInterval: Duration
        /// Alerts one rule may open per minute; the rest count into its storm alert.
        public var stormLimit: Int

        public init(
            batchSize: Int = 1000,
            pollInterval: Duration = .milliseconds(200),
            retryDelay: Duration = .seconds(1),
            minStepInterval: Duration = .milliseconds(200),
            checkpointInterval: Duration = .seconds(1),
            stormLimit: Int = StormGuard.defaultLimit
        ) {
            self.stormLimit = stormLimit
            self.batchSize = batchSize
            self.pollInterval = pollInterval
            self.retryDelay = retryDelay
            self.minStepInterval = minStepInterval
            self.checkpointInterval = checkpointInterval
        }
    }

    let log: any EventLogReader
    let alerts: any AlertStore
    let rules: any RuleStore
    let signal: WakeSignal
    /// Notified when a step queued notifications (the local deliverer's wake-up).
    let notifications: WakeSignal?
    let configuration: Configuration
    let logger: Logger
    let evaluated: Counter
    let opened: Counter
    let lag: Metrics.Timer

    public init(
        log: any EventLogReader,
        alerts: any AlertStore,
        rules: any RuleStore,
        signal: WakeSignal,
        notifications: WakeSignal? = nil,
        configuration: Configuration = .init(),
        logger: Logger,
        metrics: any MetricsFactory
    ) {
        self.log = log
        self.alerts = alerts
        self.rules = rules
        self.signal = signal
        self.notifications = notifications
        self.configuration = configuration
        self.logger = logger
        self.evaluated = Counter(label: "vigil_detection_events_total", dimensions: [], factory: metrics)
        self.opened = Counter(label: "vigil_alerts_opened_total", dimensions: [], factory: metrics)
        self.lag = Metrics.Timer(label: "vigil_detection_lag_seconds", dimensions: [], factory: metrics)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.follow()
        }
    }

    /// Detects until cancelled, restarting from the stored checkpoint after any error.
    public func follow() async {
        await self.signal.withWakeUps(polling: self.configuration.pollInterval) { wakeUps in
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
    }

    private func detectFromCheckpoint(wakeUps: inout AsyncStream<Void>.Iterator) async throws {
        let clock = ContinuousClock()
        var stored = try await self.alerts.detectorCheckpoint()
        var engine = DetectionEngine(rules: try await self.rules.rules(), stormLimit: self.configuration.stormLimit)
        try await self.replay(into: &engine, before: stored)
        var current = stored
        var lastStored = clock.now
        var lastStep = clock.now - self.configuration.minStepInterval
        while true {
            try Task.checkCancellation()
            try await clock.sleep(until: lastStep + self.configuration.minStepInterval)
            let batch = try await self.log.committedEvents(after: current?.position, limit: self.configuration.batchSize)
            if batch.events.isEmpty {
                if current != stored, clock.now - lastStored >= self.configuration.checkpointInterval {
                    try await self.commit(DetectionCommit(expected: stored, next: current!, triggers: [], now: .now()))
                    (stored, lastStored) = (current, clock.now)
                }
                guard await wakeUps.next() != nil else { throw CancellationError() }
                continue
            }
            // Only steps that found events space the next read; a full batch means more is
            // waiting, so the next read does not wait.
            lastStep = batch.events.count == self.configuration.batchSize ? clock.now - self.configuration.minStepInterval : clock.now
            // Rules are read per step so an edit applies from the next step on.
            engine.update(rules: try await self.rules.rules())
            var triggers: [Trigger] = []
            var newest = current?.newestEventTime
            for event in batch.events {
                triggers += engine.evaluate(event)
                newest = max(newest ?? event.occurredAt, event.occurredAt)
            }
            let next = DetectorCheckpoint(position: batch.position, newestEventTime: newest)
            self.evaluated.increment(by: batch.events.count)
            if let last = batch.events.last {
                self.lag.recordMicroseconds(max(0, Timestamp.now().microseconds - last.receivedAt.microseconds))
            }
            if triggers.isEmpty && clock.now - lastStored < self.configuration.checkpointInterval {
                current = next
                continue
            }
            try await self.commit(DetectionCommit(expected: stored, next: next, triggers: triggers, now: .now()))
            (stored, current, lastStored) = (next, next, clock.now)
        }
    }

    private func commit(_ step: DetectionCommit) async throws {
        let result = try await self.alerts.commitDetection(step)
        if !result.opened.isEmpty { self.opened.increment(by: result.opened.count) }
        if result.notifications > 0 { self.notifications?.notify() }
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
