import HTTPServer
import Synchronization

/// detectd's metrics: evaluation outcomes, alert storage, HTTP traffic and database state.
///
/// Evaluation counters include dry runs, because they count the engine's work; alert counters
/// count only what was stored.
public final class ServiceMetrics: Sendable {
    public let registry = MetricsRegistry()

    let eventsEvaluated: CounterFamily
    let eventsMatched: CounterFamily
    let eventsSuppressed: CounterFamily
    let eventsOutOfScope: CounterFamily
    let eventsInvalid: CounterFamily
    let alertsCreated: CounterFamily
    let alertDuplicates: CounterFamily
    let alertsNotPersisted: CounterFamily
    let truncatedRequests: CounterFamily
    let httpRequests: CounterFamily
    let httpRequestDuration: HistogramFamily
    let commitDuration: HistogramFamily
    let requestsInFlight = Atomic<Int>(0)
    private let openConnections = Mutex<(@Sendable () -> Int)?>(nil)

    /// Bucket bounds in seconds for request durations: 1 ms to 10 s.
    static let requestDurationBounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// Bucket bounds in seconds for commits, which take from well under a millisecond (no fsync)
    /// to a few hundred milliseconds (fsync on a busy disk).
    static let commitDurationBounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    public init() {
        eventsEvaluated = registry.counter(
            "detectd_events_evaluated_total",
            help: "Events evaluated against the rule, including dry runs.")
        eventsMatched = registry.counter(
            "detectd_events_matched_total",
            help: "Evaluated events that matched the rule's query, suppressed ones included.")
        eventsSuppressed = registry.counter(
            "detectd_events_suppressed_total",
            help: "Matching events that an exception item suppressed, by the item's id.",
            labelNames: ["exception_id"])
        eventsOutOfScope = registry.counter(
            "detectd_events_out_of_scope_total",
            help: "Search hits from an index outside the rule's index patterns; not evaluated.")
        eventsInvalid = registry.counter(
            "detectd_events_invalid_total",
            help: "Array elements or NDJSON lines that were not valid events; not evaluated.")
        alertsCreated = registry.counter(
            "detectd_alerts_created_total",
            help: "Alerts stored.")
        alertDuplicates = registry.counter(
            "detectd_alert_duplicates_total",
            help: "Matching events whose alert was already stored.")

        alertsNotPersisted = registry.counter(
            "detectd_alerts_not_persisted_total",
            help: "Matching events not stored because the request reached the rule's max_signals.")
        truncatedRequests = registry.counter(
            "detectd_evaluate_truncated_requests_total",
            help: "POST /evaluate requests that reached the rule's max_signals and left matches unstored.")

        httpRequests = registry.counter(
            "detectd_http_requests_total",
            help: "HTTP responses sent, by request method, route pattern and status code.",
            labelNames: ["method", "route", "status"])
        httpRequestDuration = registry.histogram(
            "detectd_http_request_duration_seconds",
            help: "Time from a request's arrival at its handler to its response, in seconds.",
            labelNames: ["method", "route"],
            bounds: Self.requestDurationBounds)

        commitDuration = registry.histogram(
            "detectd_alert_commit_duration_seconds",
            help: "Time from handing a request's alerts to the database writer until their transaction committed, queueing included, in seconds.",
            bounds: Self.commitDurationBounds)

        registry.gauge(
            "detectd_http_requests_in_flight",
            help: "Requests whose handler is running.",
            read: { [weak self] in
                guard let self else { return [] }
                return [([], Double(self.requestsInFlight.load(ordering: .relaxed)))]
            })
        registry.gauge(
            "detectd_http_open_connections",
            help: "Open client connections.",
            read: { [weak self] in
                guard let self, let count = self.openConnections.withLock({ $0 }) else { return [] }
                return [([], Double(count()))]
            })
    }

    /// Records one request and its response. `route` is the route pattern (`/alerts/{id}`), or nil when
    /// no route matched; the label then reads `unmatched` and the method `other` unless it is a
    /// standard one, so that arbitrary paths and method tokens cannot create new series.
    public func recordHTTP(method: HTTPMethod, route: String?, status: Int, duration: Duration) {
        let methodLabel = route != nil || Self.standardMethods.contains(method) ? method.rawValue : "other"
        let routeLabel = route ?? "unmatched"
        httpRequests.increment(labels: [methodLabel, routeLabel, String(status)])
        httpRequestDuration.observe(duration.seconds, labels: [methodLabel, routeLabel])
    }

    /// Records how long the writer took to commit one batch of alerts.
    public func recordCommit(duration: Duration) {
        commitDuration.observe(duration.seconds)
    }

    /// Sets where `detectd_http_open_connections` is read from, such as the HTTP server's count.
    /// Until it is set, that gauge is left out of the output.
    public func setOpenConnectionsSource(_ read: @escaping @Sendable () -> Int) {
        openConnections.withLock { $0 = read }
    }

    /// Prometheus text of every metric.
    public func render() -> String {
        registry.render()
    }

    private static let standardMethods: Set<HTTPMethod> = [.GET, .HEAD, .POST, .PUT, .PATCH, .DELETE, .OPTIONS, .TRACE, .CONNECT]
}

extension Duration {
    /// The duration in seconds, with attosecond precision reduced to a `Double`.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
