import Foundation
import Logging
import Metrics
import ServiceLifecycle
import VigilCore

/// Delivers queued notifications: claims due outbox rows under a lease (so on several nodes
/// each attempt is made by exactly one), sends them through the channel kind's sender with a
/// timeout, and records every attempt — delivered, retry later (exponential back-off with
/// jitter), or dead after the last attempt. A node that dies mid-attempt loses only its lease;
/// the row is claimed again when the lease expires, so delivery is at least once (receivers
/// deduplicate on the notification id, which every attempt carries).
///
/// A paced channel (Slack, Telex, email) gets one message at a time: the store hands out all
/// of its due notifications together once the channel is ready, they go as one message, and
/// the channel is ready again `pace` after that message's answer (later if the receiver asked
/// with `Retry-After`).
///
/// Runs on every node. Woken when this node queues notifications, and polls for the rest.
public struct Deliverer: Service {
    public struct Configuration: Sendable {
        /// Attempts in flight at once, each on its own: a receiver that hangs until the timeout
        /// holds one of them, not the others' deliveries.
        public var maxInFlight: Int
        public var lease: Duration
        public var pollInterval: Duration
        public var retry: RetryPolicy

        public init(maxInFlight: Int = 32, lease: Duration = .seconds(60), pollInterval: Duration = .seconds(1), retry: RetryPolicy = .init()) {
            self.maxInFlight = maxInFlight
            self.lease = lease
            self.pollInterval = pollInterval
            self.retry = retry
        }
    }

    let outbox: any OutboxStore
    let channels: any ChannelStore
    let senders: [ChannelKind: any ChannelSender]
    let signal: WakeSignal
    let configuration: Configuration
    /// This process's lease owner name.
    let node: String
    let logger: Logger
    let delivered: Counter
    let failed: Counter
    let dead: Counter
    let latency: Metrics.Timer

    public init(
        outbox: any OutboxStore,
        channels: any ChannelStore,
        senders: [any ChannelSender],
        signal: WakeSignal,
        configuration: Configuration = .init(),
        logger: Logger,
        metrics: any MetricsFactory
    ) {
        self.outbox = outbox
        self.channels = channels
        self.senders = Dictionary(senders.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.signal = signal
        self.configuration = configuration
        self.node = "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)/\(UUID().uuidString.prefix(8))"
        self.logger = logger
        self.delivered = Counter(label: "vigil_notifications_delivered_total", dimensions: [], factory: metrics)
        self.failed = Counter(label: "vigil_notification_attempts_failed_total", dimensions: [], factory: metrics)
        self.dead = Counter(label: "vigil_notifications_dead_total", dimensions: [], factory: metrics)
        self.latency = Metrics.Timer(label: "vigil_notification_attempt_duration_seconds", dimensions: [], factory: metrics)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.deliverUntilCancelled()
        }
    }

    /// Claims and delivers until cancelled; attempts in flight finish first.
    public func deliverUntilCancelled() async {
        let inFlight = InFlightCount()
        let signal = self.signal
        await withDiscardingTaskGroup { group in
            await signal.withWakeUps(polling: self.configuration.pollInterval) { wakeUps in
                while !Task.isCancelled {
                    let free = self.configuration.maxInFlight - inFlight.value
                    var claimed: [(notifications: [OutboxEntry], channel: NotificationChannel?)] = []
                    if free > 0 {
                        do {
                            claimed = try await self.claim(limit: free)
                        } catch {
                            if Task.isCancelled { break }
                            self.logger.warning("notification delivery paused", metadata: ["error": "\(error)"])
                            try? await Task.sleep(for: self.configuration.pollInterval)
                            continue
                        }
                    }
                    for (notifications, channel) in claimed {
                        inFlight.add(1)
                        group.addTask {
                            // Not cancelled with the service: an attempt that started is
                            // finished and recorded (cancelling it mid-request would count a
                            // failure the receiver never caused).
                            await Task { await self.attempt(notifications, channel: channel) }.value
                            inFlight.add(-1)
                            // A slot is free: claim again without waiting for the poll.
                            signal.notify()
                        }
                    }
                    // More may be due when every free slot was filled; otherwise wait.
                    if claimed.isEmpty || claimed.count < free {
                        guard await wakeUps.next() != nil else { break }
                    }
                }
            }
        }
    }

    /// One attempt through the channel's sender, recorded nowhere (channel tests).
    public func sendNow(_ entry: OutboxEntry, to channel: NotificationChannel) async -> DeliveryAttempt {
        guard let sender = self.senders[channel.kind] else {
            return DeliveryAttempt(at: .now(), statusCode: nil, error: "no sender", latencyMilliseconds: 0)
        }
        return await sender.send([entry], to: channel)
    }

    /// Claims messages for up to `limit` free slots, each with its channel (nil if deleted): a
    /// paced channel's notifications together, every other notification on its own.
    func claim(limit: Int) async throws -> [(notifications: [OutboxEntry], channel: NotificationChannel?)] {
        let now = Timestamp.now()
        let claimed = try await self.outbox.claimDeliveries(
            node: self.node,
            now: now,
            leaseUntil: now.adding(seconds: self.configuration.lease.components.seconds),
            limit: limit
        )
        guard !claimed.isEmpty else { return [] }
        let channels = Dictionary(try await self.channels.channels().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var messages: [(notifications: [OutboxEntry], channel: NotificationChannel?)] = []
        var paced: [UUID: Int] = [:]
        for entry in claimed {
            let channel = channels[entry.channelID]
            if let channel, channel.kind.pace != nil {
                if let index = paced[channel.id] {
                    messages[index].notifications.append(entry)
                    continue
                }
                paced[channel.id] = messages.count
            }
            messages.append(([entry], channel))
        }
        return messages
    }

    private func attempt(_ notifications: [OutboxEntry], channel: NotificationChannel?) async {
        let attempt: DeliveryAttempt
        if let channel, let sender = self.senders[channel.kind] {
            attempt = await sender.send(notifications, to: channel)
        } else {
            attempt = DeliveryAttempt(
                at: .now(),
                statusCode: nil,
                error: channel == nil ? "the channel was deleted" : "no sender",
                latencyMilliseconds: 0
            )
        }
        let answered = Timestamp.now()
        self.latency.recordMilliseconds(attempt.latencyMilliseconds)
        let outcomes = notifications.map { entry in
            (id: entry.id, outcome: self.outcome(of: attempt, for: entry, answered: answered, channel: channel))
        }
        for (_, outcome) in outcomes {
            switch outcome {
            case .delivered: self.delivered.increment()
            case .retry: self.failed.increment()
            case .dead:
                self.failed.increment()
                self.dead.increment()
            }
        }
        if outcomes.contains(where: { $0.outcome == .dead }) {
            self.logger.warning(
                "notification dead after its last attempt",
                metadata: ["channel": "\(notifications[0].channelID.lowercased)", "error": "\(attempt.error ?? "")"]
            )
        }
        // The channel's next message waits its pace after this answer, and as long as the
        // receiver asked.
        var ready: (channelID: UUID, at: Timestamp)?
        if let channel, channel.kind.pace != nil {
            let wait = max(Int64(channel.kind.paceMilliseconds) * 1000, Int64(attempt.retryAfterSeconds ?? 0) * 1_000_000)
            ready = (channel.id, Timestamp(microseconds: answered.microseconds + wait))
        }
        do {
            let recorded = try await self.outbox.recordAttempt(attempt, outcomes: outcomes, node: self.node, channelReadyAt: ready)
            if recorded.count < outcomes.count {
                self.logger.notice(
                    "lost the lease on notifications before recording their attempt",
                    metadata: ["lost": "\(outcomes.count - recorded.count)", "channel": "\(notifications[0].channelID.lowercased)"]
                )
            }
        } catch {
            // The lease expires and another claim makes the attempt again (at least once).
            self.logger.error(
                "could not record a delivery attempt",
                metadata: ["channel": "\(notifications[0].channelID.lowercased)", "error": "\(error)"]
            )
        }
    }

    /// Delivered, retried after the back-off (at least the receiver's `Retry-After`), or dead
    /// after its last attempt (or when its channel is gone).
    private func outcome(of attempt: DeliveryAttempt, for entry: OutboxEntry, answered: Timestamp, channel: NotificationChannel?) -> DeliveryOutcome {
        if attempt.succeeded { return .delivered }
        guard channel != nil, let delay = self.configuration.retry.delay(afterAttempt: entry.attempts) else { return .dead }
        let seconds = max(Int64(delay.rounded(.up)), Int64(attempt.retryAfterSeconds ?? 0))
        return .retry(at: answered.adding(seconds: seconds))
    }
}
