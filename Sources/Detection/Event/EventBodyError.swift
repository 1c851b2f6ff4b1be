/// A body that cannot be decoded at all: it is empty, not valid JSON, a single JSON scalar,
/// contains too many events, or exceeds another input limit.
public struct EventBodyError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case empty
        case invalidJSON
        /// The whole body is one string, number, `true`, `false` or `null`.
        case scalarBody
        case tooManyEvents(limit: Int)
    }

    public let kind: Kind
    /// A description of the failure, such as `invalid JSON: expected ',' or '}'`.
    public let message: String
    /// The 0-based byte offset of the error in the body.
    public let byteOffset: Int
    /// The 1-based line of `byteOffset`.
    public let line: Int
    /// The 1-based column of `byteOffset`, counted in Unicode scalars.
    public let column: Int
    /// The input limit the body exceeds, when the error is one; nil for other syntax errors.
    public let limit: InputLimit?

    public init(kind: Kind, message: String, byteOffset: Int, line: Int, column: Int, limit: InputLimit? = nil) {
        self.kind = kind
        self.message = message
        self.byteOffset = byteOffset
        self.line = line
        self.column = column
        self.limit = limit
    }

    public var description: String {
        "\(message) at line \(line), column \(column) (byte offset \(byteOffset))"
    }
}
