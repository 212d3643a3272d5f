import Logging
import Synchronization
import VigilHTTP

/// Starts the process's logging once, in the configured format (swift-log allows one bootstrap).
enum LogOutput {
    private static let started = Mutex(false)

    static func start(_ format: AppConfiguration.LogFormat) {
        let first = Self.started.withLock { started in
            defer { started = true }
            return !started
        }
        guard first else { return }
        switch format {
        case .json: LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        case .text: LoggingSystem.bootstrap(StreamLogHandler.standardError)
        }
    }
}
