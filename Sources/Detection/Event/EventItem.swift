/// The layout of the events in a request body.
public enum EventBodyFormat: Sendable {
    /// One JSON text: an event object, an array of them, a search hit or a search response.
    case json
    /// Newline-delimited JSON: one event object or search hit per line.
    case ndjson
}

/// The place of an event or an invalid item in its body.
public enum EventPosition: Sendable, Equatable, CustomStringConvertible {
    /// The whole body is one event.
    case document
    /// The 0-based index of an element of the body's array (or of a search response's hits).
    case index(Int)
    /// The 1-based line of an NDJSON body, counting blank lines.
    case line(Int)

    public var description: String {
        switch self {
        case .document: "document"
        case .index(let index): "index \(index)"
        case .line(let line): "line \(line)"
        }
    }
}

/// One entry of a decoded body: an event, or an item that is not an event and why.
public enum EventItem {
    case event(Event)
    case invalid(EventPosition, reason: String)
}

public struct EventDecoderLimits: Sendable {
    /// The deepest nesting of arrays and objects accepted in a JSON text (an NDJSON line, or
    /// the whole body of the JSON format).
    public var maxDepth: Int
    /// The maximum number of events and invalid items in one body.
    public var maxEvents: Int
    /// The longest string accepted, object keys included, in UTF-8 bytes after unescaping.
    public var maxStringBytes: Int

    public init(maxDepth: Int = 128, maxEvents: Int = 100_000, maxStringBytes: Int = 1 << 20) {
        self.maxDepth = maxDepth
        self.maxEvents = maxEvents
        self.maxStringBytes = maxStringBytes
    }
}
