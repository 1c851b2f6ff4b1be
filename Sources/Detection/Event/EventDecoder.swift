import Glibc

/// Decodes request bodies into events with simdjson.
///
/// Not `Sendable`: it owns one simdjson parser, which is not thread-safe. Give each thread or
/// task its own decoder and reuse it across bodies.
public final class EventDecoder {
    public let limits: EventDecoderLimits
    let parser: SimdJSONParser
    /// The fields collected from each event of the body being decoded, if any.
    private var prefetch: FieldPrefetch?

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
        try decode(body, format: format, expecting: { _ in }, visit)
    }

    /// Decodes like `decode(_:format:_:)`, and calls `expecting` with the maximum number of items
    /// that `visit` will receive before the first `visit`, so that callers can reserve room.
    ///
    /// With `visitBeforeLimitCheck`, an NDJSON body with too many lines is visited up to the
    /// limit before the error is thrown, and `expecting` gets a looser bound: the smaller of the
    /// limit and half the body's length. That spares a pass over the body for callers that
    /// discard the visited items when decoding throws.
    ///
    /// With `prefetch`, the values of its table are collected from each event before `visit`
    /// receives it, in the same walk of the root object that looks for a search hit's `_source`.
    func decode(
        _ body: [UInt8], format: EventBodyFormat, visitBeforeLimitCheck: Bool = false, prefetch: FieldPrefetch? = nil,
        expecting: (Int) -> Void, _ visit: (EventItem) -> Void
    ) throws(EventBodyError) {
        self.prefetch = prefetch
        defer { self.prefetch = nil }
        switch format {
        case .json:
            try decodeJSON(PaddedBytes(body), body: body, expecting: expecting, visit)
        case .ndjson:
            try decodeNDJSON(body, visitBeforeLimitCheck: visitBeforeLimitCheck, expecting: expecting, visit)
        }
    }

    private func decodeJSON(
        _ padded: PaddedBytes, body: [UInt8], expecting: (Int) -> Void, _ visit: (EventItem) -> Void
    ) throws(EventBodyError) {
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
            let error = syntaxError(in: body, simdjsonError: failure)
            // An array whose only faults are input limits inside some elements loses only those.
            if error.limit != nil, try decodeArrayElementByElement(padded, body: body, expecting: expecting, visit) {
                return
            }
            throw error
        }
        if let offset = longStringOffset(in: body) {
            if root.type == .array, try decodeArrayElementByElement(padded, body: body, expecting: expecting, visit) {
                return
            }
            throw bodyError(
                .invalidJSON, "string longer than \(limits.maxStringBytes) bytes", at: offset, in: body,
                limit: .maxStringBytes(limits.maxStringBytes))
        }

        switch root.type {
        case .object:
            if let hits = root.member("hits")?.member("hits"), hits.type == .array {
                try checkCount(hits.arrayCount, body: body)
                expecting(hits.arrayCount)
                visitElements(of: hits, visit)
            } else {
                expecting(1)
                visit(item(for: root, at: .document))
            }
        case .array:
            try checkCount(root.arrayCount, body: body)
            expecting(root.arrayCount)
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
    /// Returns an invalid item for a whole search response or a hit that has `fields` but no
    /// `_source`, because its event cannot be read. With a prefetch, such roots are recognized
    /// only when their first member is the one Elasticsearch writes first, such as `_index`.
    func item(for object: JSONElement, at position: EventPosition) -> EventItem {
        guard let prefetch else {
            guard let source = object.member(staticKey: "_source") else {
                return item(forSourcelessRoot: object, at: position)
            }
            return item(forHit: object, source: source, at: position)
        }
        let scan = prefetch.collect(fromRootOf: object)
        guard let source = scan.source else {
            if scan.looksLikeSearchOutput {
                return item(forSourcelessRoot: object, at: position)
            }
            return .event(Event(position: position, source: object, hit: nil))
        }
        let item = item(forHit: object, source: source, at: position)
        if case .event = item {
            prefetch.collect(from: source)
        }
        return item
    }

    /// Returns a root object without `_source` as an event, unless its members show a search
    /// response or a hit whose source was left out of the search.
    private func item(forSourcelessRoot object: JSONElement, at position: EventPosition) -> EventItem {
        if let hits = object.member(staticKey: "hits") {
            if hits.member(staticKey: "hits")?.type == .array {
                return .invalid(
                    position,
                    reason:
                        "expected an event or a search hit, found a whole search response (hits.hits): send the response alone as a JSON body, or one hit per line or array element"
                )
            }
            if hits.type == .array {
                return .invalid(
                    position,
                    reason:
                        "expected an event or a search hit, found hits as an array: send the hits themselves as a JSON array, or the whole search response with hits.hits"
                )
            }
        }
        if object.member(staticKey: "_index") != nil, object.member(staticKey: "_id") != nil, object.member(staticKey: "fields") != nil {
            return .invalid(
                position,
                reason:
                    "expected a search hit with _source, found one with fields only: detectd reads the event from _source, so search with _source enabled"
            )
        }
        return .event(Event(position: position, source: object, hit: nil))
    }

    private func item(forHit hit: JSONElement, source: JSONElement, at position: EventPosition) -> EventItem {
        guard source.type == .object else {
            return .invalid(position, reason: "expected the search hit's _source to be an object, found \(source.type.nameWithArticle)")
        }
        return .event(Event(position: position, source: source, hit: hit))
    }

    /// Parses one NDJSON line, which must be followed by `SimdJSONParser.padding` readable bytes.
    func decodeLine(_ start: UnsafePointer<UInt8>, count: Int, at position: EventPosition, _ visit: (EventItem) -> Void) {
        var isObject = false
        switch parser.parse(start, count: count, rootIsObject: &isObject) {
        case .success(let root) where isObject:
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

    /// Decodes the only non-blank line of an NDJSON body, at `range`. Unlike a line of a longer
    /// body, a line that is not valid JSON, is a JSON scalar or contains a string over
    /// `limits.maxStringBytes` fails the body as a whole, as the same text sent as a JSON body
    /// would: such a body has no event at all.
    func decodeOnlyLine(_ range: Range<Int>, number: Int, in body: [UInt8], _ visit: (EventItem) -> Void) throws(EventBodyError) {
        let copy = PaddedBytes(Array(body[range]))
        let failure: EventBodyError? = copy.withUnsafeBytes { start in
            let line = UnsafeBufferPointer(start: start, count: copy.count)
            var isObject = false
            let root: JSONElement
            switch parser.parse(start, count: copy.count, rootIsObject: &isObject) {
            case .success(let element):
                root = element
            case .failure(let failure):
                let (message, offset, limit) = locate(failure, in: line)
                return bodyError(.invalidJSON, "invalid JSON: \(message)", at: range.lowerBound + offset, in: body, limit: limit)
            }
            if let offset = JSONStringLength.firstStringLonger(than: limits.maxStringBytes, in: line) {
                return bodyError(
                    .invalidJSON, "string longer than \(limits.maxStringBytes) bytes", at: range.lowerBound + offset, in: body,
                    limit: .maxStringBytes(limits.maxStringBytes))
            }
            let position = EventPosition.line(number)
            if isObject {
                visit(item(for: root, at: position))
            } else if root.type == .array {
                visit(.invalid(position, reason: "expected an event object, found an array"))
            } else {
                let valueStart = body[range].firstIndex(where: { !isJSONWhitespace($0) }) ?? range.lowerBound
                return scalarBodyError(root.type, at: valueStart, in: body)
            }
            return nil
        }
        if let failure {
            throw failure
        }
    }

    func scalarBodyError(_ type: JSONType, at offset: Int, in body: [UInt8]) -> EventBodyError {
        bodyError(
            .scalarBody,
            "expected one event object, an array of event objects or NDJSON lines of objects, found \(type.nameWithArticle)",
            at: offset, in: body)
    }

    func checkCount(_ count: Int, body: [UInt8]) throws(EventBodyError) {
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

    func bodyError(_ kind: EventBodyError.Kind, _ message: String, at offset: Int, in body: [UInt8], limit: InputLimit? = nil) -> EventBodyError {
        let (line, column) = body.withUnsafeBufferPointer { textPosition(of: offset, in: $0) }
        return EventBodyError(kind: kind, message: message, byteOffset: offset, line: line, column: column, limit: limit)
    }

    func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}

/// A field table whose values the decoder collects from each event, into `values`, before
/// handing the event on.
///
/// It refers to its table and values without owning them, which saves a retain and a release
/// of each per event. The caller that makes a prefetch must keep both alive while a decoder uses it.
struct FieldPrefetch {
    private let table: Unmanaged<FieldTable>
    private let values: Unmanaged<CollectedFields>

    init(table: FieldTable, values: CollectedFields) {
        self.table = Unmanaged.passUnretained(table)
        self.values = Unmanaged.passUnretained(values)
    }

    /// Collects like `FieldTable.collect(fromRootOf:into:)`.
    func collect(fromRootOf object: JSONElement) -> (source: JSONElement?, looksLikeSearchOutput: Bool) {
        values._withUnsafeGuaranteedRef { values in
            table._withUnsafeGuaranteedRef { $0.collect(fromRootOf: object, into: values) }
        }
    }

    /// Collects like `FieldTable.collect(from:into:)`.
    func collect(from object: JSONElement) {
        values._withUnsafeGuaranteedRef { values in
            table._withUnsafeGuaranteedRef { $0.collect(from: object, into: values) }
        }
    }
}
