import AsyncHTTPClient
import Logging
import NIOCore
import ServiceLifecycle
import VigilCore

/// Answers Telex's interval ticks: for each accepted tick, posts to its `return_url` a digest of
/// the alerts opened since the channel's previous tick (nothing when there are none). The
/// window is taken from the channel's tick mark in the database, so ticks on several nodes
/// get disjoint windows; a digest that cannot be delivered puts the mark back and the next
/// tick covers its alerts again. Ticks wait in a bounded queue; the HTTP answer (202) does
/// not wait for the digest.
public struct TelexTicker: Service {
    /// One accepted tick.
    public struct Tick: Sendable {
        public var channel: NotificationChannel
        public var returnURL: String
        public var minSeverity: Severity

        public init(channel: NotificationChannel, returnURL: String, minSeverity: Severity) {
            self.channel = channel
            self.returnURL = returnURL
            self.minSeverity = minSeverity
        }
    }

    /// Alerts listed in one digest (the headline counts up to `countLimit`).
    static let listed = 20
    static let countLimit = 500
    let channels: any ChannelStore
    let alerts: any AlertStore
    let poster: JSONPoster
    let logger: Logger
    let ticks: AsyncStream<Tick>
    let queue: AsyncStream<Tick>.Continuation

    public init(
        channels: any ChannelStore,
        alerts: any AlertStore,
        client: HTTPClient,
        timeout: TimeAmount,
        destinations: DestinationPolicy = .init(allowInternal: false),
        logger: Logger
    ) {
        self.channels = channels
        self.alerts = alerts
        self.poster = JSONPoster(client: client, timeout: timeout, destinations: destinations)
        self.logger = logger
        (self.ticks, self.queue) = AsyncStream.makeStream(of: Tick.self, bufferingPolicy: .bufferingOldest(64))
    }

    /// Queues a tick; false when 64 are already waiting.
    public func submit(_ tick: Tick) -> Bool {
        if case .enqueued = self.queue.yield(tick) { return true }
        return false
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            for await tick in self.ticks {
                await self.answer(tick)
            }
        }
    }

    /// Builds and posts one digest; returns whether one was posted.
    @discardableResult
    public func answer(_ tick: Tick) async -> Bool {
        let now = Timestamp.now()
        let channelID = tick.channel.id
        do {
            let previous = try await self.channels.advanceTick(channelID: channelID, to: now)
            var query = AlertQuery()
            query.from = previous ?? tick.channel.createdAt
            query.to = now
            query.minSeverity = tick.minSeverity
            query.order = .asc
            query.limit = Self.countLimit
            let opened = try await self.alerts.alerts(matching: query).items
            guard !opened.isEmpty else { return false }
            let attempt = await self.poster.post(Self.body(opened, since: query.from ?? now), to: tick.returnURL)
            if !attempt.succeeded {
                try await self.channels.rewindTick(channelID: channelID, from: now, to: previous)
                self.logger.warning(
                    "Telex digest not delivered; the next tick covers it",
                    metadata: ["channel": "\(channelID.lowercased)", "error": "\(attempt.error ?? "")"]
                )
            }
            return attempt.succeeded
        } catch {
            self.logger.error("Telex tick failed", metadata: ["channel": "\(channelID.lowercased)", "error": "\(error)"])
            return false
        }
    }

    /// `{event_name, message, status, username}` listing the most severe alerts first.
    static func body(_ alerts: [Alert], since: Timestamp) -> [UInt8] {
        let count = alerts.count >= countLimit ? "\(countLimit)+" : "\(alerts.count)"
        let digest = NoticeDigest(notices: alerts.map { AlertNotice($0, event: .alertCreated) })
        let lines = ["\(count) alert\(alerts.count == 1 ? "" : "s") opened since \(since.rfc3339)"] + digest.lines(limit: listed)
        return TelexSender.body(eventName: "Vigil alert digest", message: lines.joined(separator: "\n"), status: "error")
    }
}
