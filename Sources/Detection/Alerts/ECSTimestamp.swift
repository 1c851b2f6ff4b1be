import Foundation

/// A point in time of an ECS date field, in milliseconds since the Unix epoch (UTC).
///
/// Parses what Elasticsearch's default date format (`strict_date_optional_time||epoch_millis`)
/// accepts: RFC 3339 / ISO 8601 text with any number of fraction digits (kept to the
/// millisecond, truncated) and `Z` or an offset (none means UTC), and epoch milliseconds as a
/// number or a string of digits.
public struct ECSTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let epochMilliseconds: Int64

    public init(epochMilliseconds: Int64) {
        self.epochMilliseconds = epochMilliseconds
    }

    public init(_ date: Date) {
        epochMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// Parses a date string, or returns nil when it is not one of the accepted forms.
    public init?(parsing text: String) {
        var text = text
        guard let milliseconds = text.withUTF8({ Self.epochMilliseconds(parsing: UnsafeRawBufferPointer($0)) }) else { return nil }
        self.init(epochMilliseconds: milliseconds)
    }

    /// Parses date text in UTF-8 like `init?(parsing:)`, straight from the bytes.
    static func epochMilliseconds(parsing bytes: UnsafeRawBufferPointer) -> Int64? {
        if !bytes.isEmpty, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            // Digits only: epoch milliseconds, which must fit in 64 bits.
            var milliseconds: Int64 = 0
            for byte in bytes {
                let (shifted, overflowShift) = milliseconds.multipliedReportingOverflow(by: 10)
                let (sum, overflowAdd) = shifted.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
                guard !overflowShift, !overflowAdd else { return nil }
                milliseconds = sum
            }
            return milliseconds
        }
        var parser = RFC3339Parser(bytes: bytes)
        return parser.parse()
    }

    /// Reads a field value: a date string or epoch milliseconds.
    public init?(_ value: FieldValue) {
        switch value {
        case .string(let bytes):
            guard let milliseconds = Self.epochMilliseconds(parsing: bytes) else { return nil }
            self.init(epochMilliseconds: milliseconds)
        case .integer(let milliseconds):
            self.init(epochMilliseconds: milliseconds)
        case .unsignedInteger(let milliseconds):
            guard let signed = Int64(exactly: milliseconds) else { return nil }
            self.init(epochMilliseconds: signed)
        case .double(let milliseconds):
            guard milliseconds.isFinite, let whole = Int64(exactly: milliseconds.rounded(.down)) else { return nil }
            self.init(epochMilliseconds: whole)
        case .bool:
            return nil
        }
    }

    /// The first value of `path` in `event` that parses as a date.
    public init?(field path: FieldPath, of event: some EventFields) {
        var found: ECSTimestamp?
        event.forEachValue(of: path) { value in
            found = ECSTimestamp(value)
            return found == nil
        }
        guard let found else { return nil }
        self = found
    }

    public var date: Date {
        Date(timeIntervalSince1970: Double(epochMilliseconds) / 1000)
    }

    /// RFC 3339 text in UTC with milliseconds, such as `2019-07-29T21:33:59.803Z`.
    public var iso8601: String {
        let days = epochMilliseconds.floorDivided(by: 86_400_000)
        let millisecondOfDay = epochMilliseconds - days * 86_400_000
        let (year, month, day) = civilDate(fromDays: days)
        let hour = millisecondOfDay / 3_600_000
        let minute = millisecondOfDay / 60_000 % 60
        let second = millisecondOfDay / 1000 % 60
        let millisecond = millisecondOfDay % 1000
        let yearText = year >= 0 && year <= 9999 ? padded(year, 4) : String(year)
        return "\(yearText)-\(padded(month, 2))-\(padded(day, 2))T\(padded(hour, 2)):\(padded(minute, 2)):\(padded(second, 2)).\(padded(millisecond, 3))Z"
    }

    public var description: String { iso8601 }

    public static func < (left: ECSTimestamp, right: ECSTimestamp) -> Bool {
        left.epochMilliseconds < right.epochMilliseconds
    }

    private func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

/// Returns the number of days from 1970-01-01 to a date of the proleptic Gregorian calendar.
func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
    let shiftedYear = month <= 2 ? year - 1 : year
    let era = shiftedYear.floorDivided(by: 400)
    let yearOfEra = shiftedYear - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
}

/// Returns the proleptic Gregorian date `days` after 1970-01-01.
func civilDate(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let shifted = days + 719_468
    let era = shifted.floorDivided(by: 146_097)
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (year, month, day)
}
