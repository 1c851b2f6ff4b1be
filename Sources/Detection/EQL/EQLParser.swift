/// A recursive-descent parser for single-event EQL queries, one `parseX` function per grammar
/// rule, from the loosest binding (`or`) to the tightest (a primary value).
///
///     query       = ("any" | category) "where" condition
///     condition   = and ("or" and)*
///     and         = not ("and" not)*
///     not         = "not" not | predicate
///     predicate   = sum [comparison sum | ["not"] ("in" | "in~") list
///                   | (":" | "like" | "like~" | "regex" | "regex~") (constant | constantList)]
///     sum         = product (("+" | "-") product)*
///     product     = unary (("*" | "/" | "%") unary)*
///     unary       = ("-" | "+") unary | primary
///     primary     = constant | function "(" [condition ("," condition)*] ")" | field | "(" condition ")"
///
/// Sequences, samples, joins, pipes and array indexes raise an error that names the construct.
/// The parser stops at the first error.
struct EQLParser {
    /// Deeper nesting than this is rejected, so that a hostile query cannot exhaust the stack.
    static let maximumNesting = 100

    static let keywords: Set<String> = [
        "and", "or", "not", "in", "like", "regex", "where", "true", "false", "null", "any",
        "sequence", "sample", "join", "by", "with", "until", "of",
    ]

    let source: String
    let tokens: [EQLToken]
    var index = 0
    var depth = 0

    init(_ source: String) {
        self.source = source
        self.tokens = EQLLexer.tokens(of: source)
    }

    /// Parses the whole query and returns its event category (`nil` for `any`) and condition.
    mutating func parseQuery() throws(EQLError) -> (category: String?, condition: EQLNode) {
        let first = try peek()
        for construct in ["sequence", "sample", "join"] where first.isWord(construct) {
            throw error(
                "\(construct) queries are not supported; only single-event queries (CATEGORY where CONDITION) are",
                at: first, unsupportedFeature: construct)
        }

        let category = try parseCategory()
        let whereToken = try peek()
        guard whereToken.isWord("where") else {
            throw error("expected 'where' after the event category but found \(whereToken.quoted)", at: whereToken)
        }
        advance()

        let condition = try parseCondition()

        let trailing = try peek()
        switch trailing.kind {
        case .end:
            return (category, condition)
        case .symbol(.pipe):
            var name = "pipe"
            if index + 1 < tokens.count, case .word(let pipeName, _) = tokens[index + 1].kind {
                name = "| \(pipeName)"
            }
            throw error(
                "pipes (\(name)) are not supported; only single-event queries without pipes are", at: trailing,
                unsupportedFeature: "pipe")
        default:
            throw error(
                "unexpected \(trailing.quoted) after the condition; join conditions with 'and' or 'or'", at: trailing)
        }
    }

    private mutating func parseCategory() throws(EQLError) -> String? {
        let token = try peek()
        switch token.kind {
        case .word("any", false):
            advance()
            return nil
        case .word(let name, false) where !Self.keywords.contains(name):
            advance()
            return name
        case .string(let name), .quotedField(let name):
            advance()
            return name
        default:
            throw error("expected an event category or 'any' at the start of the query but found \(token.quoted)", at: token)
        }
    }

    // MARK: - Boolean operators

    mutating func parseCondition() throws(EQLError) -> EQLNode {
        try enterNesting()
        defer { depth -= 1 }
        var left = try parseAnd()
        while try peek().isWord("or") {
            advance()
            let right = try parseAnd()
            left = EQLNode(syntax: .or(left, right), offset: left.offset, end: consumedEnd)
        }
        return left
    }

    private mutating func parseAnd() throws(EQLError) -> EQLNode {
        var left = try parseNot()
        while try peek().isWord("and") {
            advance()
            let right = try parseNot()
            left = EQLNode(syntax: .and(left, right), offset: left.offset, end: consumedEnd)
        }
        return left
    }

    private mutating func parseNot() throws(EQLError) -> EQLNode {
        let token = try peek()
        guard token.isWord("not") else {
            return try parsePredicate()
        }
        advance()
        try enterNesting()
        defer { depth -= 1 }
        let operand = try parseNot()
        return EQLNode(syntax: .not(operand), offset: token.start, end: consumedEnd)
    }

    // MARK: - Predicates

    private mutating func parsePredicate() throws(EQLError) -> EQLNode {
        let left = try parseSum()
        let token = try peek()

        if case .symbol(let symbol) = token.kind, let comparison = EQLComparison(rawValue: symbol.rawValue) {
            advance()
            let right = try parseSum(after: token)
            let next = try peek()
            if case .symbol(let nextSymbol) = next.kind, EQLComparison(rawValue: nextSymbol.rawValue) != nil {
                throw error("comparisons cannot be chained; join them with 'and'", at: next)
            }
            return EQLNode(syntax: .comparison(comparison, left, right), offset: left.offset, end: consumedEnd)
        }
        if token.isSymbol(.assign) {
            throw error("unexpected '='; write '==' to compare values", at: token)
        }
        if token.isSymbol(.colon) {
            advance()
            let patterns = try parseConstantList(after: token)
            return EQLNode(syntax: .stringMatch(.seq, left, patterns: patterns), offset: left.offset, end: consumedEnd)
        }
        if case .word(let word, let tilde) = token.kind {
            switch word {
            case "like", "regex":
                advance()
                let kind: EQLStringMatchKind = word == "like" ? .like(caseInsensitive: tilde) : .regex(caseInsensitive: tilde)
                let patterns = try parseConstantList(after: token)
                return EQLNode(syntax: .stringMatch(kind, left, patterns: patterns), offset: left.offset, end: consumedEnd)
            case "in":
                advance()
                let values = try parseValueList(after: token)
                return EQLNode(
                    syntax: .membership(left, values, caseInsensitive: tilde, negated: false), offset: left.offset, end: consumedEnd)
            case "not":
                let next = index + 1 < tokens.count ? tokens[index + 1] : token
                guard case .word("in", let insensitive) = next.kind else {
                    throw error("expected 'in' after 'not' here but found \(next.quoted)", at: next)
                }
                advance()
                advance()
                let values = try parseValueList(after: next)
                return EQLNode(
                    syntax: .membership(left, values, caseInsensitive: insensitive, negated: true), offset: left.offset, end: consumedEnd)
            default:
                break
            }
        }
        return left
    }

    /// Parses `constant` or `(constant, ...)` after `:`, `like` or `regex`.
    private mutating func parseConstantList(after operatorToken: EQLToken) throws(EQLError) -> [EQLNode] {
        let token = try peek()
        guard token.isSymbol(.leftParenthesis) else {
            return [try parseConstant(after: operatorToken)]
        }
        advance()
        var constants: [EQLNode] = []
        repeat {
            constants.append(try parseConstant(after: constants.isEmpty ? token : tokens[index - 1]))
        } while try consume(.comma)
        try expectClosing(token)
        return constants
    }

    private mutating func parseConstant(after previous: EQLToken) throws(EQLError) -> EQLNode {
        let token = try peek()
        if let literal = try parseLiteral() {
            return literal
        }
        throw error("expected a constant value after \(previous.quoted) but found \(token.quoted)", at: token)
    }

    /// Parses `(value, ...)` after `in`; values may be any expression, such as a field.
    private mutating func parseValueList(after operatorToken: EQLToken) throws(EQLError) -> [EQLNode] {
        let open = try peek()
        guard open.isSymbol(.leftParenthesis) else {
            throw error("expected '(' with a list of values after \(operatorToken.quoted) but found \(open.quoted)", at: open)
        }
        advance()
        var values: [EQLNode] = []
        repeat {
            values.append(try parseListElement(after: values.isEmpty ? open : tokens[index - 1]))
        } while try consume(.comma)
        try expectClosing(open)
        return values
    }

    mutating func parseListElement(after previous: EQLToken) throws(EQLError) -> EQLNode {
        let token = try peek()
        if token.isSymbol(.rightParenthesis) || token.isSymbol(.comma) || token.kind == .end {
            throw error("expected a value after \(previous.quoted) but found \(token.quoted)", at: token)
        }
        return try parseCondition()
    }

    // MARK: - Arithmetic

    private mutating func parseSum(after operatorToken: EQLToken? = nil) throws(EQLError) -> EQLNode {
        var left = try parseProduct(after: operatorToken)
        while true {
            let token = try peek()
            guard case .symbol(let symbol) = token.kind, symbol == .plus || symbol == .minus else {
                return left
            }
            advance()
            let right = try parseProduct(after: token)
            let operation: EQLArithmetic = symbol == .plus ? .add : .subtract
            left = EQLNode(syntax: .arithmetic(operation, left, right), offset: left.offset, end: consumedEnd)
        }
    }

    private mutating func parseProduct(after operatorToken: EQLToken?) throws(EQLError) -> EQLNode {
        var left = try parseUnary(after: operatorToken)
        while true {
            let token = try peek()
            guard case .symbol(let symbol) = token.kind, let operation = Self.multiplicative(symbol) else {
                return left
            }
            advance()
            let right = try parseUnary(after: token)
            left = EQLNode(syntax: .arithmetic(operation, left, right), offset: left.offset, end: consumedEnd)
        }
    }

    private static func multiplicative(_ symbol: EQLToken.Symbol) -> EQLArithmetic? {
        switch symbol {
        case .star: .multiply
        case .slash: .divide
        case .percent: .modulo
        default: nil
        }
    }

    private mutating func parseUnary(after operatorToken: EQLToken?) throws(EQLError) -> EQLNode {
        let token = try peek()
        guard token.isSymbol(.minus) || token.isSymbol(.plus) else {
            return try parsePrimary(after: operatorToken)
        }
        advance()
        try enterNesting()
        defer { depth -= 1 }
        let operand = try parseUnary(after: token)
        if token.isSymbol(.plus) {
            return operand
        }
        switch operand.syntax {
        case .literal(.integer(let value)):
            return EQLNode(syntax: .literal(.integer(-value)), offset: token.start, end: consumedEnd)
        case .literal(.double(let value)):
            return EQLNode(syntax: .literal(.double(-value)), offset: token.start, end: consumedEnd)
        default:
            return EQLNode(syntax: .negate(operand), offset: token.start, end: consumedEnd)
        }
    }
}
