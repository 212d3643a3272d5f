import CoreMetrics
import Prometheus

/// swift-metrics onto the Prometheus registry, like `PrometheusMetricsFactory`, but every
/// metric carries its `# HELP` text from `MetricsCatalog` (the stock factory leaves it empty, and
/// the registry refuses two help texts for one name, so the text must come from one place).
struct HelpfulMetricsFactory: MetricsFactory {
    let registry: PrometheusCollectorRegistry
    let durationBuckets: [Duration]
    let valueBuckets: [Double]

    init(registry: PrometheusCollectorRegistry) {
        let defaults = PrometheusMetricsFactory(registry: registry)
        self.registry = registry
        self.durationBuckets = defaults.defaultDurationHistogramBuckets
        self.valueBuckets = defaults.defaultValueHistogramBuckets
    }

    func help(_ label: String) -> String { MetricsCatalog.help[label] ?? "" }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        self.registry.makeCounter(name: label, labels: dimensions, help: self.help(label))
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        self.registry.makeCounter(name: label, labels: dimensions, help: self.help(label))
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else { return self.registry.makeGauge(name: label, labels: dimensions, help: self.help(label)) }
        return self.registry.makeValueHistogram(name: label, labels: dimensions, buckets: self.valueBuckets, help: self.help(label))
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        self.registry.makeGauge(name: label, labels: dimensions, help: self.help(label))
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        self.registry.makeDurationHistogram(name: label, labels: dimensions, buckets: self.durationBuckets, help: self.help(label))
    }

    func destroyCounter(_ handler: any CounterHandler) {
        if let counter = handler as? Prometheus.Counter { self.registry.unregisterCounter(counter) }
    }

    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        if let counter = handler as? Prometheus.Counter { self.registry.unregisterCounter(counter) }
    }

    func destroyRecorder(_ handler: any RecorderHandler) {
        if let gauge = handler as? Prometheus.Gauge { self.registry.unregisterGauge(gauge) }
        if let histogram = handler as? ValueHistogram { self.registry.unregisterValueHistogram(histogram) }
    }

    func destroyMeter(_ handler: any MeterHandler) {
        if let gauge = handler as? Prometheus.Gauge { self.registry.unregisterGauge(gauge) }
    }

    func destroyTimer(_ handler: any TimerHandler) {
        if let histogram = handler as? DurationHistogram { self.registry.unregisterDurationHistogram(histogram) }
    }
}
