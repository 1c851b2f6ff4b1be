import Synchronization

/// A histogram with one set of buckets per combination of label values. Each observation
/// falls into the first bucket whose upper bound is at least the value; the text format lists
/// the buckets cumulatively, ending with `le="+Inf"`, then `_sum` and `_count`.
public final class HistogramFamily: MetricFamily {
    public let name: String
    public let help: String
    public let labelNames: [String]
    /// Upper bounds in ascending order, without the implicit `+Inf` bucket.
    public let bounds: [Double]
    private let series = Mutex<[[String]: Series]>([:])

    struct Series {
        /// Observations per bucket, not cumulative; the last element is the `+Inf` bucket.
        var bucketCounts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0
    }

    init(name: String, help: String, labelNames: [String], bounds: [Double]) {
        precondition(!bounds.isEmpty && zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 }, "histogram \(name) needs ascending bucket bounds")
        precondition(bounds.allSatisfy { $0.isFinite }, "histogram \(name) lists +Inf as a bound; it is implicit")
        self.name = name
        self.help = help
        self.labelNames = labelNames
        self.bounds = bounds
    }

    /// Records one observation, such as a duration in seconds.
    public func observe(_ value: Double, labels: [String] = []) {
        checkLabelCount(labels, names: labelNames, metric: name)
        let bucket = bounds.firstIndex(where: { value <= $0 }) ?? bounds.count
        series.withLock { series in
            series[labels, default: Series(bucketCounts: Array(repeating: 0, count: bounds.count + 1))].add(value, bucket: bucket)
        }
    }

    /// The number of observations in one series.
    public func count(labels: [String] = []) -> UInt64 {
        series.withLock { $0[labels]?.count ?? 0 }
    }

    func render(into text: inout String) {
        renderHeader(help: help, type: .histogram, into: &text)
        var snapshot = series.withLock { $0 }
        if labelNames.isEmpty && snapshot.isEmpty {
            snapshot[[]] = Series(bucketCounts: Array(repeating: 0, count: bounds.count + 1))
        }
        for labels in snapshot.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let entry = snapshot[labels]!
            var cumulative: UInt64 = 0
            for (index, count) in entry.bucketCounts.enumerated() {
                cumulative += count
                let bound = index < bounds.count ? PrometheusText.number(bounds[index]) : "+Inf"
                let labelSet = PrometheusText.labelSet(names: labelNames + ["le"], values: labels + [bound])
                text += "\(name)_bucket\(labelSet) \(cumulative)\n"
            }
            let labelSet = PrometheusText.labelSet(names: labelNames, values: labels)
            text += "\(name)_sum\(labelSet) \(PrometheusText.number(entry.sum))\n"
            text += "\(name)_count\(labelSet) \(entry.count)\n"
        }
    }
}

extension HistogramFamily.Series {
    mutating func add(_ value: Double, bucket: Int) {
        bucketCounts[bucket] += 1
        sum += value
        count += 1
    }
}
