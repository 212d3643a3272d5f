import Foundation
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
    /// Nil when `VIGIL_LEDGER=off`.
    let sealer: LedgerSealer?
    let retention: RetentionWorker
    let metrics: any MetricsFactory

    init(configuration: AppConfiguration, storage: any StorageEngine, logger: Logger, metrics: any MetricsFactory) throws {
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
        // With the ledger on, the detector and the sealer both follow the log: one read of
        // each event serves both.
        let log: any EventLogReader = configuration.ledger.enabled ? SharedLogTail(base: storage, metrics: metrics) : storage
        self.detector = Detector(
            log: log,
            alerts: storage,
            rules: storage,
            signal: committed,
            notifications: notifications,
            configuration: Detector.Configuration(stormLimit: configuration.alertStormLimit),
            logger: logger,
            metrics: metrics
        )
        self.rollups = RollupWorker(store: storage, logger: logger, metrics: metrics)
        self.sealer = try Self.sealer(configuration.ledger, storage: storage, log: log, logger: logger, metrics: metrics)
        self.retention = RetentionWorker(
            store: storage,
            policy: configuration.ledger.retention,
            configuration: .init(requireSealed: configuration.ledger.enabled),
            logger: logger,
            metrics: metrics
        )
        self.metrics = metrics
    }

    private static func sealer(
        _ settings: LedgerSettings,
        storage: any StorageEngine,
        log: any EventLogReader,
        logger: Logger,
        metrics: any MetricsFactory
    ) throws -> LedgerSealer? {
        guard settings.enabled else { return nil }
        var source = LedgerSigner.Source.database
        if let path = settings.keyFile {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8), let key = LedgerSigner.parseKeyFile(text) else {
                throw StartupError("VIGIL_LEDGER_KEY_FILE: \(path) does not hold a base64 Ed25519 seed (vigil ledger keygen writes one)")
            }
            source = .file(key)
        }
        return LedgerSealer(
            store: storage,
            log: log,
            signer: LedgerSigner(source: source),
            origin: settings.origin,
            configuration: .init(interval: .milliseconds(settings.sealIntervalMilliseconds)),
            logger: logger,
            metrics: metrics
        )
    }

    /// The detector, rollups and sealer, run once per database as the engine arranges it.
    func background(storage: any StorageEngine) -> [any Service] {
        var work = [ExclusiveWork(name: "detector", run: self.detector.follow), ExclusiveWork(name: "rollups", run: self.rollups.follow)]
        if let sealer = self.sealer { work.append(ExclusiveWork(name: "ledger", run: sealer.follow)) }
        if self.retention.policy.isActive { work.append(ExclusiveWork(name: "retention", run: self.retention.follow)) }
        return storage.backgroundServices(exclusive: work, metrics: self.metrics)
    }
}
