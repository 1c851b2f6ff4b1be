import Glibc

/// Decodes request bodies into events with simdjson.
///
/// Not `Sendable`: it owns one simdjson parser, which is not thread-safe. Give each thread or
/// task its own decoder and reuse it across bodies.
public final class EventDecoder {
    public let limits: EventDecoderLimits
    private let parser: SimdJSONParser

    public init(limits: EventDecoderLimits = .init()) {
        self.limits = limits
        self.parser = SimdJSONParser(maxDepth: limits.maxDepth)
    }

    /// Calls `visit` once per event or invalid item of `body`, in order.
    ///
    /// The JSON format accepts an event object, an array of event objects, a search hit
    /// (`{"_index", "_id", "_source": {...}}`), an array of hits, or a search response
    /// (`{"hits": {"hits": [...]}}`). In an array, an element that is not an object is an
    /// invalid item. NDJSON contains one event object or hit per line; blank lines are skipped, a
    /// line may end in `\r\n`, and a line that is not a JSON object is an invalid item.
    ///
    /// Throws `EventBodyError`, before `visit` is called, when the body is empty, when it holds
    /// more than `limits.maxEvents` items, when it is one JSON scalar (in NDJSON, when its only
    /// line is one), or (JSON format) when it is not one valid JSON text.
    public func decode(_ body: [UInt8], format: EventBodyFormat, _ visit: (EventItem) -> Void) throws(EventBodyError) {
        switch format {
        case .json:
            try decodeJSON(PaddedBytes(body), body: body, visit)
        case .ndjson:
            try decodeNDJSON(body, visit)
        }
    }

    private func decodeJSON(_ padded: PaddedBytes, body: [UInt8], _ visit: (EventItem) -> Void) throws(EventBodyError) {
        guard body.contains(where: { !isJSONWhitespace($0) }) else {
            throw bodyError(.empty, "empty body: expected a JSON event, an array of events or a search response", at: body.count, in: body)
        }
        let result = padded.withUnsafeBytes { start in
            parser.parse(start, count: padded.count)
        }
        let root: JSONElement
        switch result {
        case .success(let element):
            root = element
        case .failure(let failure):
            throw syntaxError(in: body, simdjsonError: failure)
        }
        if let offset = longStringOffset(in: body) {
            throw bodyError(
                .invalidJSON, "string longer than \(limits.maxStringBytes) bytes", at: offset, in: body,
                limit: .maxStringBytes(limits.maxStringBytes))
        }

        switch root.type {
        case .object:
            if let hits = root.member("hits")?.member("hits"), hits.type == .array {
                try checkCount(hits.arrayCount, body: body)
                visitElements(of: hits, visit)
            } else {
                visit(item(for: root, at: .document))
            }
        case .array:
            try checkCount(root.arrayCount, body: body)
            visitElements(of: root, visit)
        default:
            let start = body.firstIndex(where: { !isJSONWhitespace($0) }) ?? 0
            throw scalarBodyError(root.type, at: start, in: body)
        }
    }

    private func visitElements(of array: JSONElement, _ visit: (EventItem) -> Void) {
        var index = 0
        array.forEachElement { element in
            if element.type == .object {
                visit(item(for: element, at: .index(index)))
            } else {
                visit(.invalid(.index(index), reason: "expected an event object, found \(element.type.nameWithArticle)"))
            }
            index += 1
            return true
        }
    }

    /// Returns the event that `object` holds: a search hit's `_source`, or the object itself.
    private func item(for object: JSONElement, at position: EventPosition) -> EventItem {
        if let source = object.member("_source") {
            guard source.type == .object else {
                return .invalid(position, reason: "expected the search hit's _source to be an object, found \(source.type.nameWithArticle)")
            }
            return .event(Event(position: position, source: source, hit: object))
        }
        return .event(Event(position: position, source: object, hit: nil))
    }

    private func decodeNDJSON(_ body: [UInt8], _ visit: (EventItem) -> Void) throws(EventBodyError) {
        let lines = ndjsonLines(body)
        guard !lines.isEmpty else {
            throw bodyError(.empty, "empty body: expected one JSON event per line", at: body.count, in: body)
        }
        if lines.count > limits.maxEvents {
            let firstExtra = lines[limits.maxEvents]
            throw bodyError(
                .tooManyEvents(limit: limits.maxEvents),
                "too many events: the limit is \(limits.maxEvents) per request",
                at: firstExtra.range.lowerBound, in: body, limit: .maxEvents(limits.maxEvents))
        }
        // A body whose only line is a string, number, true, false or null contains no event, so
        // it fails as a whole. In a longer body, such a line is an invalid item.
        if lines.count == 1, let (type, offset) = scalarLine(lines[0].range, in: body) {
            throw scalarBodyError(type, at: offset, in: body)
        }

        // simdjson reads up to `padding` bytes past its input but does not interpret them, so a
        // line followed by that many bytes of the body is parsed in place. Only the lines near the
        // end are copied into a padded buffer, which saves copying the whole body.
        let padding = SimdJSONParser.padding
        body.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else {
                return
            }
            for line in lines {
                let position = EventPosition.line(line.number)
                if line.range.upperBound + padding <= bytes.count {
                    decodeLine(base + line.range.lowerBound, count: line.range.count, at: position, visit)
                } else {
                    let copy = PaddedBytes(Array(bytes[line.range]))
                    copy.withUnsafeBytes { start in
                        decodeLine(start, count: line.range.count, at: position, visit)
                    }
                }
            }
        }
    }

    /// Parses one NDJSON line, which must be followed by `SimdJSONParser.padding` readable bytes.
    private func decodeLine(_ start: UnsafePointer<UInt8>, count: Int, at position: EventPosition, _ visit: (EventItem) -> Void) {
        switch parser.parse(start, count: count) {
        case .success(let root) where root.type == .object:
            let lineBytes = UnsafeBufferPointer(start: start, count: count)
            if let offset = JSONStringLength.firstStringLonger(than: limits.maxStringBytes, in: lineBytes) {
                let column = textPosition(of: offset, in: lineBytes).column
                visit(.invalid(position, reason: "string longer than \(limits.maxStringBytes) bytes at column \(column)"))
            } else {
                visit(item(for: root, at: position))
            }
        case .success(let root):
            visit(.invalid(position, reason: "expected an event object, found \(root.type.nameWithArticle)"))
        case .failure(let failure):
            let lineBytes = UnsafeBufferPointer(start: start, count: count)
            visit(.invalid(position, reason: lineErrorReason(lineBytes, simdjsonError: failure)))
        }
    }

    /// Returns the non-blank lines of an NDJSON body: 1-based numbers and byte ranges without the
    /// line terminator (`\n` or `\r\n`).
    private func ndjsonLines(_ body: [UInt8]) -> [(number: Int, range: Range<Int>)] {
        var lines: [(number: Int, range: Range<Int>)] = []
        body.withUnsafeBufferPointer { bytes in
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
                if bytes[lineStart..<contentEnd].contains(where: { !isJSONWhitespace($0) }) {
                    lines.append((number, lineStart..<contentEnd))
                }
                lineStart = lineEnd + 1
                number += 1
            }
        }
        return lines
    }

    /// Returns the type and byte offset of the line's value when it is a JSON scalar, or nil
    /// when the line is an object, an array or invalid JSON.
    private func scalarLine(_ range: Range<Int>, in body: [UInt8]) -> (JSONType, Int)? {
        guard let start = body[range].firstIndex(where: { !isJSONWhitespace($0) }),
            body[start] != UInt8(ascii: "{"), body[start] != UInt8(ascii: "[")
        else {
            return nil
        }
        let copy = PaddedBytes(Array(body[range]))
        let result = copy.withUnsafeBytes { start in
            parser.parse(start, count: copy.count)
        }
        guard case .success(let root) = result else {
            return nil
        }
        return (root.type, start)
    }

    private func scalarBodyError(_ type: JSONType, at offset: Int, in body: [UInt8]) -> EventBodyError {
        bodyError(
            .scalarBody,
            "expected one event object, an array of event objects or NDJSON lines of objects, found \(type.nameWithArticle)",
            at: offset, in: body)
    }

    private func checkCount(_ count: Int, body: [UInt8]) throws(EventBodyError) {
        guard count > limits.maxEvents else { return }
        let start = body.firstIndex(where: { !isJSONWhitespace($0) }) ?? 0
        throw bodyError(
            .tooManyEvents(limit: limits.maxEvents),
            "too many events: \(count) in one request, the limit is \(limits.maxEvents)",
            at: start, in: body, limit: .maxEvents(limits.maxEvents))
    }

    private func syntaxError(in body: [UInt8], simdjsonError: SimdJSONError) -> EventBodyError {
        body.withUnsafeBufferPointer { bytes in
            let (message, offset, limit) = locate(simdjsonError, in: bytes)
            return bodyError(.invalidJSON, "invalid JSON: \(message)", at: offset, in: body, limit: limit)
        }
    }

    /// Returns the offset of the first string longer than `limits.maxStringBytes` in a body
    /// that simdjson accepted.
    private func longStringOffset(in body: [UInt8]) -> Int? {
        body.withUnsafeBufferPointer { bytes in
            JSONStringLength.firstStringLonger(than: limits.maxStringBytes, in: bytes)
        }
    }

    private func lineErrorReason(_ line: UnsafeBufferPointer<UInt8>, simdjsonError: SimdJSONError) -> String {
        let (message, offset, _) = locate(simdjsonError, in: line)
        let column = textPosition(of: offset, in: line).column
        return "invalid JSON at column \(column): \(message)"
    }

    /// Finds the first error in a text simdjson rejected. When the scanner accepts the text,
    /// which happens only where simdjson is stricter than RFC 8259, simdjson's own message is
    /// reported at the start of the text.
    private func locate(_ simdjsonError: SimdJSONError, in bytes: UnsafeBufferPointer<UInt8>) -> (message: String, offset: Int, limit: InputLimit?) {
        if let error = JSONSyntaxScanner.firstError(in: bytes, maxDepth: limits.maxDepth) {
            return (error.message, error.byteOffset, error.limit)
        }
        return (simdjsonError.message, 0, nil)
    }

    private func bodyError(_ kind: EventBodyError.Kind, _ message: String, at offset: Int, in body: [UInt8], limit: InputLimit? = nil) -> EventBodyError {
        let (line, column) = body.withUnsafeBufferPointer { textPosition(of: offset, in: $0) }
        return EventBodyError(kind: kind, message: message, byteOffset: offset, line: line, column: column, limit: limit)
    }

    private func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}
