import Logging
import Metrics

/// The core path for one listener's messages: each draft becomes an event through the API's
/// validation (`LogEventDraft.newEvent`) and is committed by the group-commit writer, so the
/// detector, rollups and notifications see it like any other event. `ingested_by` is
/// `listener:<name>`. Every message is counted: stored, or rejected by reason.
public struct LogIntake: Sendable {
    public let listener: String
    let writer: EventWriter
    let stored: Counter
    let rejected: [LogRejection: Counter]
    let logger: Logger

    public init(listener: String, writer: EventWriter, metrics: any MetricsFactory, logger: Logger) {
        self.listener = listener
        self.writer = writer
        self.stored = Counter(label: "vigil_log_messages_total", dimensions: [("listener", listener)], factory: metrics)
        var rejected: [LogRejection: Counter] = [:]
        for reason in LogRejection.allCases {
            rejected[reason] = Counter(
                label: "vigil_log_messages_rejected_total",
                dimensions: [("listener", listener), ("reason", reason.rawValue)],
                factory: metrics
            )
        }
        self.rejected = rejected
        self.logger = logger
    }

    public var ingestName: String { "listener:\(self.listener)" }

    /// Counts a message refused before it became a draft.
    public func reject(_ reason: LogRejection, count: Int = 1) {
        guard count > 0 else { return }
        self.rejected[reason]?.increment(by: count)
    }

    /// Commits `drafts` as one submission; returns when they are durable or refused (counted).
    /// A full writer queue is retried for up to `overloadPatience` (a TCP listener's sender
    /// waits meanwhile) before the messages are dropped as `overloaded`.
    public func submit(_ drafts: [LogEventDraft], overloadPatience: Duration = .zero) async {
        guard !drafts.isEmpty else { return }
        let now = Timestamp.now()
        var prepared: [PreparedEvent] = []
        prepared.reserveCapacity(drafts.count)
        for draft in drafts {
            switch draft.newEvent(now: now) {
            case .success(let event): prepared.append(event.prepared(receivedAt: now, ingestedBy: self.ingestName))
            case .failure(let reason): self.reject(reason)
            }
        }
        guard !prepared.isEmpty else { return }
        let deadline = ContinuousClock.now + overloadPatience
        while true {
            do {
                _ = try await self.writer.append(prepared)
                self.stored.increment(by: prepared.count)
                return
            } catch VigilError.overloaded {
                if ContinuousClock.now < deadline, (try? await Task.sleep(for: .milliseconds(50))) != nil { continue }
                self.reject(.overloaded, count: prepared.count)
            } catch {
                self.reject(.unavailable, count: prepared.count)
                self.logger.warning("log source messages not stored", metadata: ["listener": "\(self.listener)", "error": "\(error)"])
            }
            return
        }
    }
}
