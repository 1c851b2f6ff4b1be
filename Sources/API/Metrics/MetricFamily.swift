/// A named metric with its help text and type, and the samples of every label combination.
protocol MetricFamily: Sendable {
    var name: String { get }
    /// Appends the family's `# HELP` and `# TYPE` lines and its samples.
    func render(into text: inout String)
}

/// The metric types of the text format that detectd exposes.
enum MetricType: String, Sendable {
    case counter, gauge, histogram
}

extension MetricFamily {
    func renderHeader(help: String, type: MetricType, into text: inout String) {
        text += "# HELP \(name) \(PrometheusText.escapeHelp(help))\n"
        text += "# TYPE \(name) \(type.rawValue)\n"
    }
}

/// Stops on label values that do not fit the family's label names, a programming error.
func checkLabelCount(_ values: [String], names: [String], metric: String) {
    precondition(
        values.count == names.count,
        "metric \(metric) takes labels \(names) but got \(values.count) values"
    )
}
