import Glibc

extension EventDecoder {
    /// Decodes an NDJSON body line by line, parsing each line right after finding its end, while
    /// its bytes are still in the CPU cache.
    ///
    /// A body with more line feeds than `limits.maxEvents` might hold too many events. Unless
    /// `visitBeforeLimitCheck` is set, such a body takes the slower path that lists every
    /// non-blank line first, so that the limit error comes before the first `visit`. With it set,
    /// lines are visited until the first one past the limit, and then the error is thrown: that
    /// saves a pass over the body for callers that discard what they were given on an error.
    /// `expecting` then gets a bound from the body's length instead of its line count.
    func decodeNDJSON(
        _ body: [UInt8], visitBeforeLimitCheck: Bool, expecting: (Int) -> Void, _ visit: (EventItem) -> Void
    ) throws(EventBodyError) {
        if limits.maxEvents >= 1, let only = onlyLine(of: body) {
            expecting(1)
            try decodeOnlyLine(only.range, number: only.number, in: body, visit)
            return
        }
        if !visitBeforeLimitCheck {
            let maxLineCount = body.withUnsafeBufferPointer(Self.lineFeedCount) + 1
            guard maxLineCount <= limits.maxEvents else {
                try decodeListedNDJSONLines(body, expecting: expecting, visit)
                return
            }
            expecting(maxLineCount)
        } else {
            // Every non-blank line takes at least one byte and a line feed, so this is an upper
            // bound without counting the lines.
            expecting(min(limits.maxEvents, body.count / 2 + 1))
        }
        var lineCount = 0
        var firstExtraLine: Int?
        body.withUnsafeBufferPointer { bytes in
            forEachNonBlankLine(in: bytes) { number, range in
                lineCount += 1
                if lineCount > limits.maxEvents {
                    firstExtraLine = range.lowerBound
                    return false
                }
                decodeLine(number: number, range: range, in: bytes, visit)
                return true
            }
        }
        if lineCount == 0 {
            throw bodyError(.empty, "empty body: expected one JSON event per line", at: body.count, in: body)
        }
        if let firstExtraLine {
            throw tooManyLinesError(at: firstExtraLine, in: body)
        }
    }

    /// Returns the number and range of the body's only non-blank line, or nil when it has none
    /// or more than one. Reads no further than the second non-blank line.
    private func onlyLine(of body: [UInt8]) -> (number: Int, range: Range<Int>)? {
        var first: (number: Int, range: Range<Int>)?
        var lineCount = 0
        body.withUnsafeBufferPointer { bytes in
            forEachNonBlankLine(in: bytes) { number, range in
                lineCount += 1
                if lineCount == 1 {
                    first = (number, range)
                }
                return lineCount < 2
            }
        }
        return lineCount == 1 ? first : nil
    }

    private func tooManyLinesError(at offset: Int, in body: [UInt8]) -> EventBodyError {
        bodyError(
            .tooManyEvents(limit: limits.maxEvents),
            "too many events: the limit is \(limits.maxEvents) per request",
            at: offset, in: body, limit: .maxEvents(limits.maxEvents))
    }

    private func decodeListedNDJSONLines(_ body: [UInt8], expecting: (Int) -> Void, _ visit: (EventItem) -> Void) throws(EventBodyError) {
        var lines: [(number: Int, range: Range<Int>)] = []
        body.withUnsafeBufferPointer { bytes in
            forEachNonBlankLine(in: bytes) { number, range in
                lines.append((number, range))
                return true
            }
        }
        guard !lines.isEmpty else {
            throw bodyError(.empty, "empty body: expected one JSON event per line", at: body.count, in: body)
        }
        if lines.count > limits.maxEvents {
            throw tooManyLinesError(at: lines[limits.maxEvents].range.lowerBound, in: body)
        }
        expecting(lines.count)
        body.withUnsafeBufferPointer { bytes in
            for line in lines {
                decodeLine(number: line.number, range: line.range, in: bytes, visit)
            }
        }
    }

    /// Parses the line at `range` of `bytes`.
    ///
    /// simdjson reads up to `padding` bytes past its input but does not interpret them, so a
    /// line followed by that many bytes of the body is parsed in place. Only the lines near the
    /// end are copied into a padded buffer, which saves copying the whole body.
    private func decodeLine(number: Int, range: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>, _ visit: (EventItem) -> Void) {
        let position = EventPosition.line(number)
        if range.upperBound + SimdJSONParser.padding <= bytes.count, let base = bytes.baseAddress {
            decodeLine(base + range.lowerBound, count: range.count, at: position, visit)
        } else {
            let copy = PaddedBytes(Array(bytes[range]))
            copy.withUnsafeBytes { start in
                decodeLine(start, count: range.count, at: position, visit)
            }
        }
    }

    /// Calls `body` with the 1-based number and the byte range of each non-blank line, without
    /// the line terminator (`\n` or `\r\n`), until it returns `false`.
    private func forEachNonBlankLine(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Int, Range<Int>) -> Bool) {
        guard let base = bytes.baseAddress else {
            return
        }
        var lineStart = 0
        var number = 1
        while lineStart <= bytes.count {
            // memchr is vectorized; a byte loop would dominate the cost of a long line.
            var lineEnd = bytes.count
            if let found = memchr(base + lineStart, 0x0A, bytes.count - lineStart) {
                lineEnd = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            }
            var contentEnd = lineEnd
            if contentEnd > lineStart, bytes[contentEnd - 1] == UInt8(ascii: "\r") {
                contentEnd -= 1
            }
            if bytes[lineStart..<contentEnd].contains(where: { !isJSONWhitespace($0) }), !body(number, lineStart..<contentEnd) {
                return
            }
            lineStart = lineEnd + 1
            number += 1
        }
    }

    private static func lineFeedCount(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else {
            return 0
        }
        var count = 0
        var offset = 0
        while offset < bytes.count, let found = memchr(base + offset, 0x0A, bytes.count - offset) {
            count += 1
            offset = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
        }
        return count
    }
}
