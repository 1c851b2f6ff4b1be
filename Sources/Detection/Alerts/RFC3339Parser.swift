/// Parses `date[Ttime[.fraction][zone]]` (RFC 3339, section 5.6, plus the date-only and
/// zone-less forms Elasticsearch accepts) to epoch milliseconds.
///
/// Reads the text in place: `bytes` must stay valid while the parser is used.
struct RFC3339Parser {
    let bytes: UnsafeRawBufferPointer
    private var offset = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    mutating func parse() -> Int64? {
        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2) else {
            return nil
        }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        var milliseconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400_000
        if offset == bytes.count {
            return milliseconds
        }

        guard let separator = next(), separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ") else {
            return nil
        }
        guard let hour = digits(2), expect(":"), let minute = digits(2) else { return nil }
        var second: Int64 = 0
        if peek() == UInt8(ascii: ":") {
            offset += 1
            guard let value = digits(2) else { return nil }
            second = value
        }
        // A leap second (60) is accepted as RFC 3339 allows and counted as the next second.
        guard hour <= 23, minute <= 59, second <= 60 else { return nil }
        milliseconds += ((hour * 60 + minute) * 60 + second) * 1000

        if peek() == UInt8(ascii: ".") || peek() == UInt8(ascii: ",") {
            offset += 1
            guard let fraction = fractionMilliseconds() else { return nil }
            milliseconds += fraction
        }

        guard let zoneOffset = zoneOffsetMilliseconds(), offset == bytes.count else { return nil }
        return milliseconds - zoneOffset
    }

    /// Reads one or more fraction digits and returns the whole milliseconds they hold.
    private mutating func fractionMilliseconds() -> Int64? {
        var value: Int64 = 0
        var count = 0
        while let byte = peek(), isDigit(byte) {
            if count < 3 {
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            count += 1
            offset += 1
        }
        guard count > 0 else { return nil }
        for _ in count..<max(count, 3) {
            value *= 10
        }
        return value
    }

    /// Reads `Z`, `+HH:MM`, `+HHMM` or `+HH` (or none, meaning UTC) and returns the offset
    /// from UTC.
    private mutating func zoneOffsetMilliseconds() -> Int64? {
        guard let byte = peek() else { return 0 }
        if byte == UInt8(ascii: "Z") || byte == UInt8(ascii: "z") {
            offset += 1
            return 0
        }
        guard byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") else { return nil }
        offset += 1
        guard let hours = digits(2), hours <= 23 else { return nil }
        var minutes: Int64 = 0
        if peek() == UInt8(ascii: ":") {
            offset += 1
            guard let value = digits(2) else { return nil }
            minutes = value
        } else if let value = digits(2) {
            minutes = value
        }
        guard minutes <= 59 else { return nil }
        let magnitude = (hours * 60 + minutes) * 60_000
        return byte == UInt8(ascii: "-") ? -magnitude : magnitude
    }

    private mutating func digits(_ count: Int) -> Int64? {
        guard offset + count <= bytes.count else { return nil }
        var value: Int64 = 0
        for byte in UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count]) {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        offset += count
        return value
    }

    private mutating func expect(_ character: Unicode.Scalar) -> Bool {
        guard peek() == UInt8(ascii: character) else { return false }
        offset += 1
        return true
    }

    private mutating func next() -> UInt8? {
        guard let byte = peek() else { return nil }
        offset += 1
        return byte
    }

    private func peek() -> UInt8? {
        offset < bytes.count ? bytes[offset] : nil
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }
}
