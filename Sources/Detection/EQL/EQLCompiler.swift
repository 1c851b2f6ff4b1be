/// Turns the parser's syntax tree into an `EQLCondition`: resolves field names to
/// `FieldPath`s, compiles wildcard and regex patterns, checks function names and argument
/// counts, and picks the in-place field tests wherever a field meets constants.
struct EQLCompiler {
    let source: String

    func compileCondition(_ node: EQLNode) throws(EQLError) -> EQLCondition {
        switch node.syntax {
        case .literal(.bool(let value)):
            return .constant(value)
        case .literal(.null):
            return .constant(false)
        case .literal:
            throw error("a constant is not a condition; compare it with a field", at: node)
        case .not(let operand):
            return .not(try compileCondition(operand))
        case .and(let left, let right):
            return .all(try flatten(left, right, isAnd: true))
        case .or(let left, let right):
            return .any(try flatten(left, right, isAnd: false))
        case .comparison(let comparison, let left, let right):
            return try compileComparison(comparison, left, right)
        case .membership(let subject, let candidates, let caseInsensitive, let negated):
            let condition = try compileMembership(subject, candidates, caseInsensitive: caseInsensitive)
            // `x not in (...)` is `not (x in (...))`, so a missing field satisfies it.
            return negated ? .not(condition) : condition
        case .stringMatch(let kind, let subject, let patterns):
            return try compileStringMatch(kind, subject, patterns)
        case .function(let name, let caseInsensitive, let arguments):
            return try compileFunctionCondition(name, caseInsensitive: caseInsensitive, arguments, at: node)
        case .field:
            return .expression(try compilePlan(node))
        case .arithmetic, .negate:
            throw error("an arithmetic expression is not a condition; compare it with a value", at: node)
        }
    }

    private func flatten(_ left: EQLNode, _ right: EQLNode, isAnd: Bool) throws(EQLError) -> [EQLCondition] {
        var result: [EQLCondition] = []
        for side in [left, right] {
            let compiled = try compileCondition(side)
            switch (compiled, isAnd) {
            case (.all(let parts), true), (.any(let parts), false):
                result += parts
            default:
                result.append(compiled)
            }
        }
        return result
    }

    // MARK: - Comparisons

    private func compileComparison(
        _ comparison: EQLComparison,
        _ left: EQLNode,
        _ right: EQLNode
    ) throws(EQLError) -> EQLCondition {
        if let (path, constant, effective) = fieldAndConstant(comparison, left, right) {
            if constant.isNull {
                switch effective {
                case .equal: return .missing(path)
                case .notEqual: return .exists(path)
                default: return .constant(false)
                }
            }
            let prepared = EQLConstant(constant)
            switch effective {
            case .equal: return .field(path, .equals([prepared], caseInsensitive: false))
            // Elasticsearch runs `!=` as a `must_not` term query: it holds when no value of
            // the field equals the constant, so a missing field satisfies it.
            case .notEqual: return .not(.field(path, .equals([prepared], caseInsensitive: false)))
            default: return .field(path, .ordered(effective, prepared))
            }
        }
        return .expression(.comparison(comparison, try compilePlan(left), try compilePlan(right)))
    }

    /// Recognizes `field OP constant` and `constant OP field`, the latter with the operator
    /// swapped so that the field is always on the left.
    private func fieldAndConstant(
        _ comparison: EQLComparison,
        _ left: EQLNode,
        _ right: EQLNode
    ) -> (FieldPath, EQLValue, EQLComparison)? {
        switch (left.syntax, right.syntax) {
        case (.field(let name, _), .literal(let value)):
            return (FieldPath(name), value, comparison)
        case (.literal(let value), .field(let name, _)):
            return (FieldPath(name), value, comparison.swapped)
        default:
            return nil
        }
    }

    private func compileMembership(
        _ subject: EQLNode,
        _ candidates: [EQLNode],
        caseInsensitive: Bool
    ) throws(EQLError) -> EQLCondition {
        var constants: [EQLValue] = []
        for candidate in candidates {
            guard case .literal(let value) = candidate.syntax else {
                break
            }
            constants.append(value)
        }
        guard case .field(let name, _) = subject.syntax, constants.count == candidates.count else {
            var plans: [EQLExpressionPlan] = []
            for candidate in candidates {
                plans.append(try compilePlan(candidate))
            }
            return .expression(.membership(try compilePlan(subject), plans, caseInsensitive: caseInsensitive))
        }

        let path = FieldPath(name)
        let values = constants.filter { !$0.isNull }
        let test = EQLCondition.field(path, .equals(values.map(EQLConstant.init), caseInsensitive: caseInsensitive))
        // A null in the list matches a missing field.
        return values.count == constants.count ? test : .any([test, .missing(path)])
    }

    // MARK: - String matching

    private func compileStringMatch(
        _ kind: EQLStringMatchKind,
        _ subject: EQLNode,
        _ patternNodes: [EQLNode]
    ) throws(EQLError) -> EQLCondition {
        var texts: [(String, EQLNode)] = []
        for node in patternNodes {
            switch node.syntax {
            case .literal(.string(let text)):
                texts.append((text, node))
            case .literal(let value) where kind == .seq && !value.isNull:
                texts.append((value.text ?? "", node))
            default:
                throw error("'\(kind.operatorText)' takes string patterns; put the pattern in double quotes", at: node)
            }
        }

        switch kind {
        case .seq, .like:
            let caseInsensitive: Bool
            if case .like(let insensitive) = kind {
                caseInsensitive = insensitive
            } else {
                caseInsensitive = true
            }
            let patterns = texts.map { WildcardPattern(eqlValue: $0.0, caseInsensitive: caseInsensitive) }
            if case .field(let name, _) = subject.syntax {
                return .field(FieldPath(name), .wildcards(patterns))
            }
            return .expression(.wildcards(try compilePlan(subject), patterns))
        case .regex(let caseInsensitive):
            var regexes: [EQLRegex] = []
            for (text, node) in texts {
                do {
                    regexes.append(try EQLRegex(text, caseInsensitive: caseInsensitive))
                } catch {
                    throw self.error("invalid regular expression \"\(text.prefix(60))\"", at: node)
                }
            }
            if case .field(let name, _) = subject.syntax {
                return .field(FieldPath(name), .regexes(regexes))
            }
            return .expression(.regexes(try compilePlan(subject), regexes))
        }
    }

    // MARK: - Functions

    /// Compiles a function used as a condition. `startsWith`, `endsWith`, `stringContains` and
    /// `cidrMatch` on a field with constant arguments become field tests, which look at every
    /// value of the field.
    private func compileFunctionCondition(
        _ name: String,
        caseInsensitive: Bool,
        _ arguments: [EQLNode],
        at node: EQLNode
    ) throws(EQLError) -> EQLCondition {
        let function = try resolve(name, caseInsensitive: caseInsensitive, arguments, at: node)
        if case .field(let fieldName, _) = arguments[0].syntax {
            let path = FieldPath(fieldName)
            let constants = arguments.dropFirst().compactMap { argument -> String? in
                if case .literal(.string(let text)) = argument.syntax { return text }
                return nil
            }
            if constants.count == arguments.count - 1 {
                switch function {
                case .startsWith:
                    return .field(path, .wildcards([.prefix(constants[0], caseInsensitive: caseInsensitive)]))
                case .endsWith:
                    return .field(path, .wildcards([.suffix(constants[0], caseInsensitive: caseInsensitive)]))
                case .stringContains:
                    return .field(path, .wildcards([.containing(constants[0], caseInsensitive: caseInsensitive)]))
                case .cidrMatch:
                    var blocks: [CIDRBlock] = []
                    for (text, argument) in zip(constants, arguments.dropFirst()) {
                        guard let block = CIDRBlock(text) else {
                            throw error(
                                "invalid CIDR block \"\(text.prefix(60))\"; write an address with an optional prefix length, such as 10.0.0.0/8", at: argument)
                        }
                        blocks.append(block)
                    }
                    return .field(path, .cidr(blocks))
                default:
                    break
                }
            }
        }
        return .expression(try compilePlan(node))
    }

    private func resolve(
        _ name: String,
        caseInsensitive: Bool,
        _ arguments: [EQLNode],
        at node: EQLNode
    ) throws(EQLError) -> EQLFunction {
        guard let function = EQLFunction(name: name) else {
            throw error("unknown function '\(name)'", at: node)
        }
        if caseInsensitive && !function.acceptsCaseInsensitive {
            throw error("function '\(function.rawValue)' has no case-insensitive form '\(function.rawValue)~'", at: node)
        }
        guard function.arity.contains(arguments.count) else {
            throw error(
                "function '\(function.rawValue)' takes \(function.arityDescription) but was given \(arguments.count)",
                at: node)
        }
        return function
    }

    // MARK: - Values

    func compilePlan(_ node: EQLNode) throws(EQLError) -> EQLExpressionPlan {
        switch node.syntax {
        case .literal(let value):
            return .literal(value)
        case .field(let name, _):
            return .field(FieldPath(name))
        case .function(let name, let caseInsensitive, let arguments):
            let function = try resolve(name, caseInsensitive: caseInsensitive, arguments, at: node)
            var plans: [EQLExpressionPlan] = []
            for argument in arguments {
                plans.append(try compilePlan(argument))
            }
            return .function(function, caseInsensitive: caseInsensitive, plans)
        case .arithmetic(let operation, let left, let right):
            return .arithmetic(operation, try compilePlan(left), try compilePlan(right))
        case .negate(let operand):
            return .negate(try compilePlan(operand))
        case .comparison(let comparison, let left, let right):
            return .comparison(comparison, try compilePlan(left), try compilePlan(right))
        case .not, .and, .or, .membership, .stringMatch:
            return .condition(try compileCondition(node))
        }
    }

    private func error(_ message: String, at node: EQLNode) -> EQLError {
        EQLError(message, offset: node.offset, source: source)
    }
}
