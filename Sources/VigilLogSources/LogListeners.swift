import Logging
import Metrics
import NIOCore
import ServiceLifecycle
import VigilCore

/// Builds the listener a configuration describes: the one place that chooses the UDP or TCP
/// service (the composition root and the tests both call it).
public enum LogListeners {
    /// The service, and the stream that yields its port once bound. Throws when a TLS
    /// certificate or key does not load.
    public static func make(
        _ configuration: LogListenerConfiguration,
        intake: LogIntake,
        group: any EventLoopGroup,
        metrics: any MetricsFactory,
        logger: Logger
    ) throws -> (service: any Service, boundPorts: AsyncStream<Int>) {
        switch configuration.transport {
        case .udp:
            let listener = UDPLogListener(configuration: configuration, intake: intake, group: group, metrics: metrics, logger: logger)
            return (listener, listener.boundPorts)
        case .tcp, .tls:
            let listener = try TCPLogListener(configuration: configuration, intake: intake, group: group, metrics: metrics, logger: logger)
            return (listener, listener.boundPorts)
        }
    }
}
