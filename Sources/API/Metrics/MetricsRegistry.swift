import Synchronization

/// The metric families of one process, rendered in the Prometheus text format in the order
/// they were registered.
///
/// Registering two families with one name, or a name outside the format's grammar, is a
/// programming error and stops the process.
public final class MetricsRegistry: Sendable {
    private let families = Mutex<[any MetricFamily]>([])

    public init() {}

    public func counter(_ name: String, help: String, labelNames: [String] = []) -> CounterFamily {
        register(CounterFamily(name: name, help: help, labelNames: labelNames), labelNames: labelNames)
    }

    /// A histogram whose buckets have the upper bounds `bounds`, ascending, without `+Inf`.
    public func histogram(_ name: String, help: String, labelNames: [String] = [], bounds: [Double]) -> HistogramFamily {
        precondition(!labelNames.contains("le"), "histogram \(name) uses the reserved label name le")
        return register(HistogramFamily(name: name, help: help, labelNames: labelNames, bounds: bounds), labelNames: labelNames)
    }

    /// A gauge whose samples `read` returns at every scrape; no samples hides the family.
    public func gauge(
        _ name: String, help: String, labelNames: [String] = [],
        read: @escaping @Sendable () -> [(labels: [String], value: Double)]
    ) {
        _ = register(SampledFamily(name: name, help: help, type: .gauge, labelNames: labelNames, read: read), labelNames: labelNames)
    }

    /// A counter that another component keeps, such as a count of failed authentications;
    /// `read` returns its samples at every scrape and must never return a smaller value.
    public func sampledCounter(
        _ name: String, help: String, labelNames: [String] = [],
        read: @escaping @Sendable () -> [(labels: [String], value: Double)]
    ) {
        _ = register(SampledFamily(name: name, help: help, type: .counter, labelNames: labelNames, read: read), labelNames: labelNames)
    }

    /// Every family as Prometheus text, version 0.0.4.
    public func render() -> String {
        let snapshot = families.withLock { $0 }
        var text = ""
        for family in snapshot {
            family.render(into: &text)
        }
        return text
    }

    private func register<Family: MetricFamily>(_ family: Family, labelNames: [String]) -> Family {
        precondition(PrometheusText.isValidName(family.name, allowColon: true), "invalid metric name \(family.name)")
        for label in labelNames {
            precondition(
                PrometheusText.isValidName(label, allowColon: false) && !label.hasPrefix("__"), "metric \(family.name) has the invalid label name \(label)")
        }
        families.withLock { families in
            precondition(!families.contains { $0.name == family.name }, "metric \(family.name) is registered twice")
            families.append(family)
        }
        return family
    }
}
