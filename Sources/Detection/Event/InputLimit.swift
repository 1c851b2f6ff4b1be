/// A limit on request bodies that protects the service, named in the error of a body that
/// exceeds it so that a client can tell a limit from a syntax error.
public enum InputLimit: Sendable, Equatable, CustomStringConvertible {
    /// The deepest nesting of arrays and objects.
    case maxDepth(Int)
    /// The maximum length of a string or object key, in UTF-8 bytes after unescaping.
    case maxStringBytes(Int)
    /// The maximum number of events and invalid items in one request.
    case maxEvents(Int)
    /// Text must be well-formed UTF-8 (RFC 3629).
    case utf8
    /// Numbers must fit simdjson's types: integers in 64 bits, other numbers finite doubles.
    case numberRange

    /// The name used in problem bodies, such as `max_depth`.
    public var name: String {
        switch self {
        case .maxDepth: "max_depth"
        case .maxStringBytes: "max_string_bytes"
        case .maxEvents: "max_events"
        case .utf8: "utf8"
        case .numberRange: "number_range"
        }
    }

    /// The limit's number, for the limits that have one.
    public var value: Int? {
        switch self {
        case .maxDepth(let value), .maxStringBytes(let value), .maxEvents(let value): value
        case .utf8, .numberRange: nil
        }
    }

    public var description: String {
        value.map { "\(name) \($0)" } ?? name
    }
}
