import Foundation

/// What one rule would have raised over stored history: the live detector's code (engine and
/// ledger) run over the log's events of a time range, in log order, touching nothing.
public struct Backtest: Sendable {
    /// Most events one backtest reads; past it the result says `truncated`.
    public static let maxEvents = 1_000_000

    public struct Result: Sendable {
        public var alerts: [Alert]
        public var evidence: [UUID: [AlertEvidence]]
        public var eventsScanned: Int
        public var truncated: Bool
    }

    /// Runs `rule` (enabled or not) over events with `occurred_at` in `[from, to)`.
    public static func run(
        _ rule: Rule,
        over log: any EventLogReader,
        from: Timestamp,
        to: Timestamp,
        maxEvents: Int = Self.maxEvents,
        stormLimit: Int = StormGuard.defaultLimit,
        now: Timestamp = .now()
    ) async throws -> Result {
        var enabled = rule
        enabled.enabled = true
        var engine = DetectionEngine(rules: [enabled], stormLimit: stormLimit)
        var ledger = AlertLedger(existing: [], now: now)
        var range = LogRange(occurredFrom: from, occurredTo: to)
        var scanned = 0
        var truncated = false
        while true {
            try Task.checkCancellation()
            let limit = min(5000, maxEvents - scanned)
            let batch = try await log.committedEvents(in: range, limit: limit)
            for event in batch.events {
                for trigger in engine.evaluate(event) { ledger.apply(trigger) }
            }
            scanned += batch.events.count
            guard batch.events.count == limit else { break }
            if scanned >= maxEvents {
                truncated = true
                break
            }
            range.after = batch.position
        }
        return Result(alerts: ledger.openedAlerts, evidence: ledger.newEvidence, eventsScanned: scanned, truncated: truncated)
    }
}
