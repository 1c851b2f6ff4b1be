import Detection
import Foundation

/// A time bound given in a query parameter: an RFC 3339 timestamp or Elasticsearch date math
/// relative to now (`now`, `now-48h`, `now-7d+1h`), in epoch milliseconds.
///
/// Date math units as in Elasticsearch: `y` (365 days), `M` (30 days), `w`, `d`, `h`/`H`, `m`, `s`.
/// NOTE: calendar-exact months and years and rounding (`/d`) are not supported; such a value is rejected.
enum TimeBound {
    static func epochMilliseconds(_ text: String, now: Date) -> Int64? {
        if text.hasPrefix("now") {
            return dateMath(text.dropFirst(3), now: now)
        }
        return ECSTimestamp(parsing: text)?.epochMilliseconds
    }

    private static func dateMath(_ expression: Substring, now: Date) -> Int64? {
        var milliseconds = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        var rest = expression[...]
        while let sign = rest.first {
            guard sign == "+" || sign == "-" else { return nil }
            rest = rest.dropFirst()
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty, digits.count <= 9, let amount = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let unit = rest.first, let unitMilliseconds = unitMilliseconds[unit] else { return nil }
            rest = rest.dropFirst()
            let delta = amount * unitMilliseconds
            milliseconds += sign == "+" ? delta : -delta
        }
        return milliseconds
    }

    private static let unitMilliseconds: [Character: Int64] = [
        "s": 1000,
        "m": 60_000,
        "h": 3_600_000,
        "H": 3_600_000,
        "d": 86_400_000,
        "w": 604_800_000,
        "M": 2_592_000_000,
        "y": 31_536_000_000,
    ]
}

/// RFC 3339 text with milliseconds in UTC (`2024-03-01T10:00:00.000Z`), the form every time in
/// detectd's responses takes.
func rfc3339(milliseconds: Int64) -> String {
    ECSTimestamp(epochMilliseconds: milliseconds).iso8601
}

func epochMilliseconds(_ date: Date) -> Int64 {
    Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
}
