import Metrics
import Prometheus

/// swift-metrics for the whole process, kept in a Prometheus registry that `/metrics` serves: HTTP
/// requests (Vapor's), Autotask API usage and budget, Workboard actions and Calendar Reflow runs.
enum MetricsExport {
    /// Bootstraps swift-metrics (once per process) and returns the text `/metrics` answers.
    static func bootstrap() -> @Sendable () -> String {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return { registry.emitToString() }
    }
}
