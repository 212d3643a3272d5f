import AsyncHTTPClient
import Logging
import Metrics
import NIOCore
import NIOPosix
import VigilCore
import VigilNotify

/// Outbound notifications: one sender per channel kind behind the destination policy, the
/// deliverer that drains the outbox, and the Telex ticker that answers interval ticks.
struct NotificationPipeline {
    let deliverer: Deliverer
    let telex: TelexTicker

    init(
        configuration: AppConfiguration,
        storage: any StorageEngine,
        client: HTTPClient,
        wake: WakeSignal,
        logger: Logger,
        metrics: any MetricsFactory
    ) {
        let timeout = TimeAmount.seconds(Int64(configuration.notificationTimeoutSeconds))
        let destinations = DestinationPolicy(allowInternal: configuration.allowPrivateTargets, allowedHosts: configuration.channelHosts)
        let senders: [any ChannelSender] = [
            WebhookSender(client: client, timeout: timeout, destinations: destinations),
            SlackSender(client: client, timeout: timeout, destinations: destinations),
            TelexSender(client: client, timeout: timeout, destinations: destinations),
            EmailSender(
                group: MultiThreadedEventLoopGroup.singleton,
                alerts: storage,
                timeout: .seconds(configuration.notificationTimeoutSeconds),
                extraTrustRoots: configuration.smtpCAFiles,
                destinations: destinations
            ),
        ]
        self.deliverer = Deliverer(outbox: storage, channels: storage, senders: senders, signal: wake, logger: logger, metrics: metrics)
        self.telex = TelexTicker(
            channels: storage,
            alerts: storage,
            client: client,
            timeout: timeout,
            destinations: destinations,
            logger: logger
        )
    }
}
