import Glibc

/// A reading of the system's monotonic clock (`CLOCK_MONOTONIC`), for the server's deadlines.
///
/// `ContinuousClock.Instant` is not a frozen type, so a struct that contains one is laid out and
/// copied through run-time metadata. This plain `Duration` keeps the connection state cheap to copy.
package struct MonotonicInstant: Comparable, Hashable, Sendable {
    /// Time since the clock's unspecified origin (the system's boot on Linux).
    package var sinceOrigin: Duration

    package init(sinceOrigin: Duration) {
        self.sinceOrigin = sinceOrigin
    }

    package static var now: MonotonicInstant {
        var reading = timespec()
        // clock_gettime(2) fails only with EINVAL (unknown clock) or EFAULT (bad pointer), and
        // neither applies to CLOCK_MONOTONIC with a local timespec.
        clock_gettime(CLOCK_MONOTONIC, &reading)
        return MonotonicInstant(sinceOrigin: .seconds(reading.tv_sec) + .nanoseconds(reading.tv_nsec))
    }

    package func duration(to other: MonotonicInstant) -> Duration {
        other.sinceOrigin - sinceOrigin
    }

    package static func + (instant: MonotonicInstant, duration: Duration) -> MonotonicInstant {
        MonotonicInstant(sinceOrigin: instant.sinceOrigin + duration)
    }

    package static func < (left: MonotonicInstant, right: MonotonicInstant) -> Bool {
        left.sinceOrigin < right.sinceOrigin
    }
}
