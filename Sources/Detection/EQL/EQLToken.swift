/// One lexical token of an EQL query, with the byte range it covers in the query text.
struct EQLToken: Sendable {
    enum Kind: Sendable, Equatable {
        /// A bare word: a keyword, a function name or a dotted field name. `tilde` is set when
        /// `~` follows without a space (`in~`, `like~`, `startsWith~`).
        case word(String, tilde: Bool)
        /// A field name in backquotes, with doubled backquotes unescaped.
        case quotedField(String)
        /// A string literal, unescaped.
        case string(String)
        case integer(Int64)
        case decimal(Double)
        case symbol(Symbol)
        case end
        /// A lexical error; the parser raises it when it reaches this token, so errors come
        /// out in source order.
        case invalid(message: String, unsupportedFeature: String?)
    }

    enum Symbol: String, Sendable {
        case leftParenthesis = "("
        case rightParenthesis = ")"
        case leftBracket = "["
        case rightBracket = "]"
        case comma = ","
        case colon = ":"
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case assign = "="
        case pipe = "|"
        case plus = "+"
        case minus = "-"
        case star = "*"
        case slash = "/"
        case percent = "%"
        case question = "?"
    }

    let kind: Kind
    /// Byte offset of the first byte.
    let start: Int
    /// Byte offset just past the last byte.
    let end: Int

    /// The token as an error message quotes it.
    var quoted: String {
        switch kind {
        case .word(let text, let tilde): "'\(text)\(tilde ? "~" : "")'"
        case .quotedField(let name): "`\(name)`"
        case .string(let text): "string \"\(text.count > 40 ? text.prefix(40) + "..." : Substring(text))\""
        case .integer(let value): "number \(value)"
        case .decimal(let value): "number \(value)"
        case .symbol(let symbol): "'\(symbol.rawValue)'"
        case .end: "end of query"
        case .invalid: "invalid input"
        }
    }

    func isWord(_ keyword: String) -> Bool {
        if case .word(keyword, false) = kind {
            return true
        }
        return false
    }

    func isSymbol(_ symbol: Symbol) -> Bool {
        kind == .symbol(symbol)
    }
}
