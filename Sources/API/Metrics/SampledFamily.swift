/// A gauge or counter whose samples are read when the metrics are scraped, for values that
/// another component already keeps: open connections, the database file size, the writer's
/// transaction counts.
final class SampledFamily: MetricFamily {
    typealias Sample = (labels: [String], value: Double)

    let name: String
    let help: String
    let type: MetricType
    let labelNames: [String]
    private let read: @Sendable () -> [Sample]

    init(name: String, help: String, type: MetricType, labelNames: [String], read: @escaping @Sendable () -> [Sample]) {
        precondition(type != .histogram, "metric \(name): a sampled family is a gauge or a counter")
        self.name = name
        self.help = help
        self.type = type
        self.labelNames = labelNames
        self.read = read
    }

    /// Renders nothing, not even the header, when `read` returns no sample, so that a value
    /// that is not known (no server attached yet) is absent rather than a false 0.
    func render(into text: inout String) {
        let samples = read()
        guard !samples.isEmpty else {
            return
        }
        renderHeader(help: help, type: type, into: &text)
        for sample in samples {
            checkLabelCount(sample.labels, names: labelNames, metric: name)
            text += "\(name)\(PrometheusText.labelSet(names: labelNames, values: sample.labels)) \(PrometheusText.number(sample.value))\n"
        }
    }
}
