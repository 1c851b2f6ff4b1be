/// A parsed EQL expression with the byte range of its tokens in the query, kept so that compile
/// errors can point at the offending part and explanations can quote it.
struct EQLNode: Sendable {
    let syntax: EQLSyntax
    /// UTF-8 offset of the first token.
    let offset: Int
    /// UTF-8 offset just past the last token. A parenthesized node excludes its parentheses.
    let end: Int
}

/// The syntax tree of an EQL condition, as the parser builds it.
indirect enum EQLSyntax: Sendable {
    case literal(EQLValue)
    /// A field name; `optional` is set for `?field`.
    case field(String, optional: Bool)
    case not(EQLNode)
    case and(EQLNode, EQLNode)
    case or(EQLNode, EQLNode)
    case comparison(EQLComparison, EQLNode, EQLNode)
    /// `value in (...)`, `value in~ (...)` and `value not in (...)`.
    case membership(EQLNode, [EQLNode], caseInsensitive: Bool, negated: Bool)
    /// `value : ...`, `like`, `like~`, `regex` and `regex~` with one or more string patterns.
    case stringMatch(EQLStringMatchKind, EQLNode, patterns: [EQLNode])
    case arithmetic(EQLArithmetic, EQLNode, EQLNode)
    case negate(EQLNode)
    case function(name: String, caseInsensitive: Bool, arguments: [EQLNode])
}

enum EQLComparison: String, Sendable {
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="

    /// The operator that gives the same result with its operands swapped.
    var swapped: EQLComparison {
        switch self {
        case .equal, .notEqual: self
        case .less: .greater
        case .lessOrEqual: .greaterOrEqual
        case .greater: .less
        case .greaterOrEqual: .lessOrEqual
        }
    }
}

enum EQLArithmetic: String, Sendable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case modulo = "%"
}

enum EQLStringMatchKind: Sendable, Equatable {
    /// `:`, a case-insensitive wildcard match.
    case seq
    case like(caseInsensitive: Bool)
    case regex(caseInsensitive: Bool)

    var operatorText: String {
        switch self {
        case .seq: ":"
        case .like(let insensitive): insensitive ? "like~" : "like"
        case .regex(let insensitive): insensitive ? "regex~" : "regex"
        }
    }
}
