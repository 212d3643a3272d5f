import Logging
import Metrics
import NIOPosix
import ServiceLifecycle
import VigilCore
import VigilLogSources

/// The syslog and GELF listeners the configuration turns on, each a `Service` feeding the
/// core path (`LogIntake` → the group-commit writer).
enum LogSourcePipeline {
    static func services(configuration: AppConfiguration, core: CorePipeline, logger: Logger) throws -> [any Service] {
        try configuration.logSources.listeners().map { listener in
            let intake = LogIntake(listener: listener.name, writer: core.writer, metrics: core.metrics, logger: logger)
            do {
                return try LogListeners.make(
                    listener,
                    intake: intake,
                    group: MultiThreadedEventLoopGroup.singleton,
                    metrics: core.metrics,
                    logger: logger
                ).service
            } catch {
                throw StartupError("VIGIL_SYSLOG_TLS: cannot load the certificate or key: \(error)")
            }
        }
    }
}
