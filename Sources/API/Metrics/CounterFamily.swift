import Synchronization

/// A counter with one value per combination of label values, such as HTTP requests by method,
/// route and status. Values only go up, and start at zero when first incremented.
public final class CounterFamily: MetricFamily {
    public let name: String
    public let help: String
    public let labelNames: [String]
    private let values = Mutex<[[String]: UInt64]>([:])

    init(name: String, help: String, labelNames: [String]) {
        self.name = name
        self.help = help
        self.labelNames = labelNames
    }

    /// Adds `amount` to the series with `labels`, given in the order of `labelNames`.
    public func increment(by amount: UInt64 = 1, labels: [String] = []) {
        checkLabelCount(labels, names: labelNames, metric: name)
        // Adding nothing changes no value; skipping it saves a lock and a lookup per request.
        guard amount > 0 else { return }
        values.withLock { values in
            values[labels, default: 0] &+= amount
        }
    }

    /// The current value of one series; 0 when it was never incremented.
    public func value(labels: [String] = []) -> UInt64 {
        values.withLock { $0[labels] ?? 0 }
    }

    func render(into text: inout String) {
        renderHeader(help: help, type: .counter, into: &text)
        let snapshot = values.withLock { $0 }
        // A counter without labels is exposed as 0 before its first increment, so that a rate
        // over it starts from the process start instead of from the first event.
        if labelNames.isEmpty && snapshot.isEmpty {
            text += "\(name) 0\n"
            return
        }
        for labels in snapshot.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            text += "\(name)\(PrometheusText.labelSet(names: labelNames, values: labels)) \(snapshot[labels]!)\n"
        }
    }
}
