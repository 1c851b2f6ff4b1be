import Synchronization
import Testing

@testable import API

@Suite("Metrics registry")
struct MetricsRegistryTests {
    @Test("counter renders help, type and value")
    func counter() {
        let registry = MetricsRegistry()
        let counter = registry.counter("demo_events_total", help: "Events seen.")
        counter.increment(by: 3)
        counter.increment()

        let lines = registry.render().split(separator: "\n").map(String.init)
        #expect(lines == ["# HELP demo_events_total Events seen.", "# TYPE demo_events_total counter", "demo_events_total 4"])
        #expect(counter.value() == 4)
    }

    @Test("unlabelled counter starts at zero")
    func counterStartsAtZero() {
        let registry = MetricsRegistry()
        _ = registry.counter("demo_total", help: "Nothing yet.")
        #expect(registry.render().hasSuffix("\ndemo_total 0\n"))
    }

    @Test("labelled counter lists series sorted")
    func labelledSeries() {
        let registry = MetricsRegistry()
        let counter = registry.counter("demo_requests_total", help: "Requests.", labelNames: ["method", "status"])
        counter.increment(labels: ["POST", "200"])
        counter.increment(labels: ["GET", "404"])
        counter.increment(labels: ["GET", "200"])
        counter.increment(labels: ["GET", "200"])

        let samples = registry.render().split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(
            samples == [
                #"demo_requests_total{method="GET",status="200"} 2"#,
                #"demo_requests_total{method="GET",status="404"} 1"#,
                #"demo_requests_total{method="POST",status="200"} 1"#,
            ])
    }

    @Test("label values are escaped")
    func labelEscaping() {
        let registry = MetricsRegistry()
        let counter = registry.counter("demo_total", help: "Escapes.", labelNames: ["id"])
        counter.increment(labels: ["a\\b\"c\nd"])
        #expect(registry.render().contains(#"demo_total{id="a\\b\"c\nd"} 1"#))
    }

    @Test("help text is escaped")
    func helpEscaping() {
        #expect(PrometheusText.escapeHelp("a\\b\nc \"quoted\"") == #"a\\b\nc "quoted""#)
        let registry = MetricsRegistry()
        _ = registry.counter("demo_total", help: "line one\nline two")
        #expect(registry.render().hasPrefix("# HELP demo_total line one\\nline two\n"))
    }

    @Test("histogram buckets are cumulative")
    func histogram() {
        let registry = MetricsRegistry()
        let histogram = registry.histogram("demo_seconds", help: "Durations.", bounds: [0.1, 1])
        histogram.observe(0.05)
        histogram.observe(0.1)
        histogram.observe(0.5)
        histogram.observe(3)

        let samples = registry.render().split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(
            samples == [
                #"demo_seconds_bucket{le="0.1"} 2"#,
                #"demo_seconds_bucket{le="1"} 3"#,
                #"demo_seconds_bucket{le="+Inf"} 4"#,
                "demo_seconds_sum 3.65",
                "demo_seconds_count 4",
            ])
        #expect(histogram.count() == 4)
        #expect(registry.render().contains("# TYPE demo_seconds histogram\n"))
    }

    @Test("labelled histogram puts le last")
    func labelledHistogram() {
        let registry = MetricsRegistry()
        let histogram = registry.histogram("demo_seconds", help: "Durations.", labelNames: ["route"], bounds: [1])
        histogram.observe(2, labels: ["/alerts/{id}"])

        let text = registry.render()
        #expect(text.contains(#"demo_seconds_bucket{route="/alerts/{id}",le="1"} 0"#))
        #expect(text.contains(#"demo_seconds_bucket{route="/alerts/{id}",le="+Inf"} 1"#))
        #expect(text.contains(#"demo_seconds_sum{route="/alerts/{id}"} 2"#))
        #expect(text.contains(#"demo_seconds_count{route="/alerts/{id}"} 1"#))
    }

    @Test("empty unlabelled histogram renders zeros")
    func emptyHistogram() {
        let registry = MetricsRegistry()
        _ = registry.histogram("demo_seconds", help: "Durations.", bounds: [1])
        let samples = registry.render().split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(samples == [#"demo_seconds_bucket{le="1"} 0"#, #"demo_seconds_bucket{le="+Inf"} 0"#, "demo_seconds_sum 0", "demo_seconds_count 0"])
    }

    @Test("sampled gauge reads at render")
    func sampledGauge() {
        let registry = MetricsRegistry()
        let source = LockedValue(2.0)
        registry.gauge("demo_open", help: "Open things.", read: { [([], source.value)] })
        #expect(registry.render().contains("\ndemo_open 2\n"))
        source.value = 7.5
        #expect(registry.render().contains("\ndemo_open 7.5\n"))
        #expect(registry.render().contains("# TYPE demo_open gauge\n"))
    }

    @Test("gauge without samples is left out")
    func absentGauge() {
        let registry = MetricsRegistry()
        registry.gauge("demo_unknown", help: "Not known.", read: { [] })
        #expect(registry.render() == "")
    }

    @Test("sampled counter has counter type")
    func sampledCounter() {
        let registry = MetricsRegistry()
        registry.sampledCounter("demo_failures_total", help: "Failures.", labelNames: ["kind"], read: { [(["auth"], 5)] })
        let text = registry.render()
        #expect(text.contains("# TYPE demo_failures_total counter\n"))
        #expect(text.contains(#"demo_failures_total{kind="auth"} 5"#))
    }

    @Test("families keep registration order")
    func registrationOrder() {
        let registry = MetricsRegistry()
        _ = registry.counter("zeta_total", help: "Z.")
        _ = registry.counter("alpha_total", help: "A.")
        let names = registry.render().split(separator: "\n").filter { $0.hasPrefix("# TYPE") }
        #expect(names == ["# TYPE zeta_total counter", "# TYPE alpha_total counter"])
    }

    @Test("numbers in Prometheus form")
    func numbers() {
        #expect(PrometheusText.number(3) == "3")
        #expect(PrometheusText.number(-2) == "-2")
        #expect(PrometheusText.number(0.25) == "0.25")
        #expect(PrometheusText.number(0.00001) == "1e-05")
        #expect(PrometheusText.number(1e20) == "1e+20")
        #expect(PrometheusText.number(.infinity) == "+Inf")
        #expect(PrometheusText.number(-.infinity) == "-Inf")
        #expect(PrometheusText.number(.nan) == "NaN")
    }

    @Test("metric and label name grammar")
    func names() {
        #expect(PrometheusText.isValidName("detectd_http_requests_total", allowColon: true))
        #expect(PrometheusText.isValidName("job:rate5m", allowColon: true))
        #expect(!PrometheusText.isValidName("job:rate5m", allowColon: false))
        #expect(!PrometheusText.isValidName("5xx", allowColon: true))
        #expect(!PrometheusText.isValidName("", allowColon: true))
        #expect(!PrometheusText.isValidName("http-requests", allowColon: true))
    }
}

/// A value that a test changes while a metrics closure reads it.
final class LockedValue<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) {
        storage = Mutex(value)
    }

    var value: Value {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
