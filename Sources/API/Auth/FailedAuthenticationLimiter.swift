/// Counts failed authentications per client in a sliding window and blocks a client that
/// reaches the limit until its oldest failure in the window expires.
///
/// A pure state machine: the caller passes the time, so that tests need no clock or sleep.
struct FailedAuthenticationLimiter {
    let maxFailures: Int
    let window: Duration
    /// The most clients tracked at once. Past it, clients whose failures have all expired are
    /// forgotten first, then those with the oldest latest failure, so memory stays bounded
    /// when many addresses fail.
    let maxTrackedClients: Int
    /// The times of each client's failures inside the window, oldest first, at most `maxFailures`.
    private var failures: [String: [ContinuousClock.Instant]] = [:]

    init(maxFailures: Int = 20, window: Duration = .seconds(60), maxTrackedClients: Int = 10_000) {
        precondition(maxFailures > 0, "maxFailures must be positive")
        self.maxFailures = maxFailures
        self.window = window
        self.maxTrackedClients = maxTrackedClients
    }

    var trackedClientCount: Int { failures.count }

    /// Returns how long `client` must wait before its next attempt counts, or nil when it is
    /// not blocked.
    mutating func retryDelay(for client: String, now: ContinuousClock.Instant) -> Duration? {
        guard var times = failures[client] else { return nil }
        times.removeAll { now - $0 >= window }
        if times.isEmpty {
            failures[client] = nil
            return nil
        }
        failures[client] = times
        guard times.count >= maxFailures else { return nil }
        return window - (now - times[0])
    }

    /// Records a failure of `client`. Returns true when this failure makes it blocked.
    mutating func recordFailure(of client: String, now: ContinuousClock.Instant) -> Bool {
        if failures[client] == nil && failures.count >= maxTrackedClients {
            evict(now: now)
        }
        var times = failures[client] ?? []
        times.removeAll { now - $0 >= window }
        times.append(now)
        if times.count > maxFailures {
            times.removeFirst(times.count - maxFailures)
        }
        failures[client] = times
        return times.count == maxFailures
    }

    private mutating func evict(now: ContinuousClock.Instant) {
        failures = failures.filter { _, times in
            guard let latest = times.last else { return false }
            return now - latest < window
        }
        while failures.count >= maxTrackedClients {
            guard let oldest = failures.min(by: { ($0.value.last ?? now) < ($1.value.last ?? now) })?.key else { break }
            failures[oldest] = nil
        }
    }
}
