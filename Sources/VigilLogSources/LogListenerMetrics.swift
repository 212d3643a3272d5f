import Metrics

/// Per-listener counters for what happens before a message is read: refused senders and
/// connections.
struct LogListenerMetrics: Sendable {
    let refusedNotAllowed: Counter
    let refusedLimit: Counter
    let connections: Gauge

    init(listener: String, factory: any MetricsFactory) {
        self.refusedNotAllowed = Counter(
            label: "vigil_log_senders_refused_total",
            dimensions: [("listener", listener), ("reason", "not_allowed")],
            factory: factory
        )
        self.refusedLimit = Counter(
            label: "vigil_log_senders_refused_total",
            dimensions: [("listener", listener), ("reason", "connection_limit")],
            factory: factory
        )
        self.connections = Gauge(label: "vigil_log_connections", dimensions: [("listener", listener)], factory: factory)
    }
}
