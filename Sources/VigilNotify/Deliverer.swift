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
    let signal: CommitSignal
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
        signal: CommitSignal,
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
        self.latency = Metrics.Timer(label: "vigil_notification_attempt_duration", dimensions: [], factory: metrics)
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
                    var claimed: [(OutboxEntry, NotificationChannel?)] = []
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
                    for (entry, channel) in claimed {
                        inFlight.add(1)
                        group.addTask {
                            await self.attempt(entry, channel: channel)
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
        return await sender.send(entry, to: channel)
    }

    /// Claims up to `limit` due notifications, each with its channel (nil if deleted).
    func claim(limit: Int) async throws -> [(OutboxEntry, NotificationChannel?)] {
        let now = Timestamp.now()
        let claimed = try await self.outbox.claimDeliveries(
            node: self.node,
            now: now,
            leaseUntil: now.adding(seconds: self.configuration.lease.components.seconds),
            limit: limit
        )
        guard !claimed.isEmpty else { return [] }
        let channels = Dictionary(try await self.channels.channels().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return claimed.map { ($0, channels[$0.channelID]) }
    }

    private func attempt(_ entry: OutboxEntry, channel: NotificationChannel?) async {
        let attempt: DeliveryAttempt
        if let channel, let sender = self.senders[channel.kind] {
            attempt = await sender.send(entry, to: channel)
        } else {
            attempt = DeliveryAttempt(
                at: .now(),
                statusCode: nil,
                error: channel == nil ? "the channel was deleted" : "no sender",
                latencyMilliseconds: 0
            )
        }
        self.latency.recordMilliseconds(attempt.latencyMilliseconds)
        let outcome: DeliveryOutcome
        if attempt.succeeded {
            outcome = .delivered
            self.delivered.increment()
        } else if channel != nil, let delay = self.configuration.retry.delay(afterAttempt: entry.attempts) {
            outcome = .retry(at: attempt.at.adding(seconds: Int64(delay.rounded(.up))))
            self.failed.increment()
        } else {
            outcome = .dead
            self.failed.increment()
            self.dead.increment()
            self.logger.warning(
                "notification dead after its last attempt",
                metadata: ["notification": "\(entry.id.lowercased)", "channel": "\(entry.channelID.lowercased)", "error": "\(attempt.error ?? "")"]
            )
        }
        do {
            if try await !self.outbox.recordAttempt(attempt, of: entry.id, node: self.node, outcome: outcome) {
                self.logger.notice(
                    "lost the lease on a notification before recording its attempt",
                    metadata: ["notification": "\(entry.id.lowercased)"]
                )
            }
        } catch {
            // The lease expires and another claim makes the attempt again (at least once).
            self.logger.error("could not record a delivery attempt", metadata: ["notification": "\(entry.id.lowercased)", "error": "\(error)"])
        }
    }
}
