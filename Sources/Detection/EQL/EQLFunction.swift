/// The EQL functions of Elasticsearch 8.x that the engine evaluates.
enum EQLFunction: String, CaseIterable, Sendable {
    case add
    case between
    case cidrMatch
    case concat
    case divide
    case endsWith
    case indexOf
    case length
    case modulo
    case multiply
    case number
    case startsWith
    case string
    case stringContains
    case substring
    case subtract

    /// Looks a function up by name; EQL function names are case-insensitive (`startswith~`
    /// and `startsWith~` are the same function).
    init?(name: String) {
        let lowered = name.lowercased()
        guard let function = Self.allCases.first(where: { $0.rawValue.lowercased() == lowered }) else {
            return nil
        }
        self = function
    }

    /// The number of arguments the function takes.
    var arity: ClosedRange<Int> {
        switch self {
        case .add, .subtract, .multiply, .divide, .modulo: 2...2
        case .between: 3...4
        case .cidrMatch: 2...Int.max
        case .concat: 1...Int.max
        case .endsWith, .startsWith, .stringContains: 2...2
        case .indexOf: 2...3
        case .length, .string: 1...1
        case .number: 1...2
        case .substring: 2...3
        }
    }

    /// Whether the function has a case-insensitive form written with `~`.
    var acceptsCaseInsensitive: Bool {
        switch self {
        case .between, .endsWith, .indexOf, .startsWith, .stringContains: true
        default: false
        }
    }

    var arityDescription: String {
        let range = arity
        if range.upperBound == Int.max {
            return "at least \(range.lowerBound) argument\(range.lowerBound == 1 ? "" : "s")"
        }
        if range.lowerBound == range.upperBound {
            return "\(range.lowerBound) argument\(range.lowerBound == 1 ? "" : "s")"
        }
        return "\(range.lowerBound) to \(range.upperBound) arguments"
    }
}
