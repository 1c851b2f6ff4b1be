import Glibc

/// A reading of the system's monotonic clock (`CLOCK_MONOTONIC`), for the server's deadlines.
///
/// The standard library's `MonotonicInstant` is not a frozen type, so every struct that
/// holds one gets its layout at run time and is copied through value witnesses. The connection
/// state machine and its records hold several instants and are copied on every request, which
/// showed in profiles of small requests; this type is a plain `Duration` and has none of that cost.
package struct MonotonicInstant: Comparable, Hashable, Sendable {
    /// Time since the clock's unspecified origin (the system's boot on Linux).
    package var sinceOrigin: Duration

    package init(sinceOrigin: Duration) {
        self.sinceOrigin = sinceOrigin
    }

    package static var now: MonotonicInstant {
        var reading = timespec()
        // CLOCK_MONOTONIC with a valid pointer cannot fail.
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
