extension EQLParser {
    /// Parses a constant, a function call, a field or a parenthesized condition.
    mutating func parsePrimary(after operatorToken: EQLToken?) throws(EQLError) -> EQLNode {
        if let literal = try parseLiteral() {
            return literal
        }

        let token = try peek()
        switch token.kind {
        case .symbol(.leftParenthesis):
            advance()
            let inner = try parseCondition()
            try expectClosing(token)
            return inner
        case .symbol(.question):
            advance()
            return try parseField(optionalMarker: token)
        case .quotedField:
            return try parseField(optionalMarker: nil)
        case .word(let name, let tilde):
            let next = index + 1 < tokens.count ? tokens[index + 1] : token
            if next.isSymbol(.leftParenthesis) && !isKeyword(name) {
                return try parseFunctionCall(name: name, caseInsensitive: tilde)
            }
            if tilde {
                throw error(
                    "unexpected '~' after '\(name)'; only 'in~', 'like~', 'regex~' and function names take '~'",
                    at: token)
            }
            if isKeyword(name) {
                throw error(expectedValueMessage(after: operatorToken, found: token), at: token)
            }
            return try parseField(optionalMarker: nil)
        default:
            throw error(expectedValueMessage(after: operatorToken, found: token), at: token)
        }
    }

    private func expectedValueMessage(after operatorToken: EQLToken?, found token: EQLToken) -> String {
        if let operatorToken {
            return "expected a value after \(operatorToken.quoted) but found \(token.quoted)"
        }
        return "expected a condition or value but found \(token.quoted)"
    }

    /// Parses a string, number, `true`, `false` or `null`, with an optional leading minus sign
    /// on numbers; returns `nil` without consuming anything when the next token is none of them.
    mutating func parseLiteral() throws(EQLError) -> EQLNode? {
        let token = try peek()
        let value: EQLValue
        switch token.kind {
        case .string(let text): value = .string(text)
        case .integer(let number): value = .integer(number)
        case .decimal(let number): value = .double(number)
        case .word("true", false): value = .bool(true)
        case .word("false", false): value = .bool(false)
        case .word("null", false): value = .null
        case .symbol(.minus):
            guard index + 1 < tokens.count else {
                return nil
            }
            switch tokens[index + 1].kind {
            case .integer(let number):
                advance()
                advance()
                return EQLNode(syntax: .literal(.integer(-number)), offset: token.start, end: consumedEnd)
            case .decimal(let number):
                advance()
                advance()
                return EQLNode(syntax: .literal(.double(-number)), offset: token.start, end: consumedEnd)
            default:
                return nil
            }
        default:
            return nil
        }
        advance()
        return EQLNode(syntax: .literal(value), offset: token.start, end: consumedEnd)
    }

    private mutating func parseField(optionalMarker: EQLToken?) throws(EQLError) -> EQLNode {
        let token = try peek()
        let name: String
        switch token.kind {
        case .word(let word, false) where !isKeyword(word):
            name = word
        case .quotedField(let quoted):
            name = quoted
        default:
            throw error("expected a field name after '?' but found \(token.quoted)", at: token)
        }
        advance()

        let next = try peek()
        if next.isSymbol(.leftBracket) {
            throw error(
                "array indexes such as \(name)[0] are not supported; compare the whole field, which matches when any element does",
                at: next, unsupportedFeature: "array index")
        }
        return EQLNode(syntax: .field(name, optional: optionalMarker != nil), offset: optionalMarker?.start ?? token.start, end: consumedEnd)
    }

    private mutating func parseFunctionCall(name: String, caseInsensitive: Bool) throws(EQLError) -> EQLNode {
        let nameToken = try peek()
        advance()
        let open = try peek()
        advance()
        try enterNesting()
        defer { depth -= 1 }

        var arguments: [EQLNode] = []
        if !(try consume(.rightParenthesis)) {
            repeat {
                arguments.append(try parseListElement(after: arguments.isEmpty ? open : tokens[index - 1]))
            } while try consume(.comma)
            try expectClosing(open)
        }
        return EQLNode(
            syntax: .function(name: name, caseInsensitive: caseInsensitive, arguments: arguments),
            offset: nameToken.start, end: consumedEnd)
    }

    // MARK: - Token handling

    /// The current token; raises the lexical error when the lexer stopped here.
    func peek() throws(EQLError) -> EQLToken {
        let token = tokens[index]
        if case .invalid(let message, let feature) = token.kind {
            throw EQLError(message, offset: token.start, source: source, unsupportedFeature: feature)
        }
        return token
    }

    /// The offset just past the last consumed token.
    var consumedEnd: Int {
        index > 0 ? tokens[index - 1].end : 0
    }

    mutating func advance() {
        if index < tokens.count - 1 {
            index += 1
        }
    }

    /// Consumes the current token when it is `symbol`.
    mutating func consume(_ symbol: EQLToken.Symbol) throws(EQLError) -> Bool {
        guard try peek().isSymbol(symbol) else {
            return false
        }
        advance()
        return true
    }

    mutating func expectClosing(_ open: EQLToken) throws(EQLError) {
        let token = try peek()
        guard token.isSymbol(.rightParenthesis) else {
            throw error("expected ',' or ')' to close the '(' but found \(token.quoted)", at: token)
        }
        advance()
    }

    mutating func enterNesting() throws(EQLError) {
        depth += 1
        if depth > Self.maximumNesting {
            throw error("the query nests deeper than \(Self.maximumNesting) levels", at: tokens[index])
        }
    }

    func isKeyword(_ word: String) -> Bool {
        Self.keywords.contains(word)
    }

    func error(_ message: String, at token: EQLToken, unsupportedFeature: String? = nil) -> EQLError {
        EQLError(message, offset: token.start, source: source, unsupportedFeature: unsupportedFeature)
    }
}
