/// An EQL query that cannot be parsed or compiled, with the position of the offending token.
public struct EQLError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    /// UTF-8 byte offset of the offending token in the query text.
    public let offset: Int
    /// 1-based line of `offset`.
    public let line: Int
    /// 1-based column of `offset`, counted in characters.
    public let column: Int
    /// The EQL construct that the engine does not support (`sequence`, `pipe`, ...), or `nil`
    /// when the query is invalid EQL.
    public let unsupportedFeature: String?
    /// The text of the line that holds `offset`.
    public let sourceLine: String

    /// Builds the error and computes its line and column; the lexer and parser track only byte
    /// offsets, so this scan runs once, for the failing query.
    init(_ message: String, offset: Int, source: String, unsupportedFeature: String? = nil) {
        let bytes = Array(source.utf8)
        let offset = min(max(offset, 0), bytes.count)
        var lineStart = 0
        var line = 1
        for index in 0..<offset where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        var lineEnd = offset
        while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") {
            lineEnd += 1
        }
        let prefix = String(decoding: bytes[lineStart..<offset], as: UTF8.self)
        var sourceLine = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
        if sourceLine.hasSuffix("\r") {
            sourceLine.removeLast()
        }

        self.message = message
        self.offset = offset
        self.line = line
        self.column = prefix.count + 1
        self.unsupportedFeature = unsupportedFeature
        self.sourceLine = sourceLine
        self.caretIndent = String(prefix.map { $0 == "\t" ? "\t" : " " })
    }

    private let caretIndent: String

    /// The message with its position, the source line and a caret under the offending token.
    public var description: String {
        "line \(line), column \(column): \(message)\n  \(sourceLine)\n  \(caretIndent)^"
    }
}
