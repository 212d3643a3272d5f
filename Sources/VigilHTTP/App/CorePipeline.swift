import Logging
import Metrics
import ServiceLifecycle
import VigilCore

/// The path every event takes whichever way it came in: the group-commit writer, the audit
/// trail that writes through it, and the followers of the log (detector, rollups) that run as
/// the engine's exclusive work.
struct CorePipeline {
    let writer: EventWriter
    let audit: AuditTrail
    /// Rung by the writer after each commit; wakes the detector.
    let committed: WakeSignal
    /// Rung when outbox rows were queued; wakes the deliverer.
    let notifications: WakeSignal
    let detector: Detector
    let rollups: RollupWorker
    let metrics: any MetricsFactory

    init(configuration: AppConfiguration, storage: any StorageEngine, logger: Logger, metrics: any MetricsFactory) {
        let committed = WakeSignal()
        let notifications = WakeSignal()
        let writer = EventWriter(
            store: storage,
            configuration: .init(
                maxQueuedEvents: configuration.writerQueueLimit,
                maxBatchEvents: storage.preferredBatchEvents,
                maxConcurrentCommits: storage.concurrentCommits
            ),
            committed: committed,
            logger: logger,
            metrics: metrics
        )
        self.writer = writer
        self.audit = AuditTrail(writer: writer, logger: logger)
        self.committed = committed
        self.notifications = notifications
        self.detector = Detector(
            log: storage,
            alerts: storage,
            rules: storage,
            signal: committed,
            notifications: notifications,
            configuration: Detector.Configuration(stormLimit: configuration.alertStormLimit),
            logger: logger,
            metrics: metrics
        )
        self.rollups = RollupWorker(store: storage, logger: logger, metrics: metrics)
        self.metrics = metrics
    }

    /// The detector and rollups, run once per database as the engine arranges it.
    func background(storage: any StorageEngine) -> [any Service] {
        storage.backgroundServices(
            exclusive: [ExclusiveWork(name: "detector", run: self.detector.follow), ExclusiveWork(name: "rollups", run: self.rollups.follow)],
            metrics: self.metrics
        )
    }
}
