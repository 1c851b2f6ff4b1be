/// A compiled EQL expression that computes a value: function calls, arithmetic, and
/// comparisons whose operands are not a plain field and a constant.
///
/// A field here stands for its first value, as in Elasticsearch, where functions run as
/// scripts over the first doc value. Conditions on a field and constants use `EQLCondition`,
/// which looks at every value.
indirect enum EQLExpressionPlan: Sendable {
    case literal(EQLValue)
    case field(FieldPath)
    case function(EQLFunction, caseInsensitive: Bool, [EQLExpressionPlan])
    case arithmetic(EQLArithmetic, EQLExpressionPlan, EQLExpressionPlan)
    case negate(EQLExpressionPlan)
    case comparison(EQLComparison, EQLExpressionPlan, EQLExpressionPlan)
    case membership(EQLExpressionPlan, [EQLExpressionPlan], caseInsensitive: Bool)
    case wildcards(EQLExpressionPlan, [WildcardPattern])
    case regexes(EQLExpressionPlan, [EQLRegex])
    case condition(EQLCondition)

    func evaluate(in event: some EventFields) -> EQLValue {
        switch self {
        case .literal(let value):
            return value
        case .field(let path):
            var result = EQLValue.null
            event.forEachValue(of: path) { value in
                result = value.eqlValue
                return false
            }
            return result
        case .function(let function, let caseInsensitive, let arguments):
            return function.evaluate(arguments.map { $0.evaluate(in: event) }, caseInsensitive: caseInsensitive)
        case .arithmetic(let operation, let left, let right):
            return operation.apply(left.evaluate(in: event), right.evaluate(in: event))
        case .negate(let operand):
            return EQLArithmetic.subtract.apply(.integer(0), operand.evaluate(in: event))
        case .comparison(let comparison, let left, let right):
            return Self.compare(comparison, left, right, in: event)
        case .membership(let subject, let candidates, let caseInsensitive):
            let value = subject.evaluate(in: event)
            if value.isNull {
                return .null
            }
            let found = candidates.contains {
                Self.order(value, $0.evaluate(in: event), caseInsensitive: caseInsensitive) == 0
            }
            return .bool(found)
        case .wildcards(let subject, let patterns):
            guard let text = subject.evaluate(in: event).text else {
                return .null
            }
            return .bool(patterns.contains { $0.matches(text) })
        case .regexes(let subject, let regexes):
            guard let text = subject.evaluate(in: event).text else {
                return .null
            }
            return .bool(regexes.contains { $0.matches(text) })
        case .condition(let condition):
            return .bool(condition.holds(in: event))
        }
    }

    private static func compare(
        _ comparison: EQLComparison,
        _ left: EQLExpressionPlan,
        _ right: EQLExpressionPlan,
        in event: some EventFields
    ) -> EQLValue {
        let leftValue = left.evaluate(in: event)
        let rightValue = right.evaluate(in: event)
        // `x == null` and `x != null` test for a missing value; other comparisons with null
        // are null.
        if case .literal(.null) = right, comparison == .equal || comparison == .notEqual {
            return .bool(leftValue.isNull == (comparison == .equal))
        }
        if case .literal(.null) = left, comparison == .equal || comparison == .notEqual {
            return .bool(rightValue.isNull == (comparison == .equal))
        }
        guard let order = order(leftValue, rightValue, caseInsensitive: false) else {
            return .null
        }
        return .bool(comparison.holds(forOrder: order))
    }

    /// Orders two values: numbers (and numeric strings against numbers) numerically, strings
    /// by their UTF-8 bytes, Booleans only for equality. `nil` when either is null or the
    /// types cannot be compared.
    static func order(_ left: EQLValue, _ right: EQLValue, caseInsensitive: Bool) -> Int? {
        switch (left, right) {
        case (.null, _), (_, .null):
            return nil
        case (.string(let leftText), .string(let rightText)):
            if caseInsensitive {
                return WildcardPattern(literal: rightText, caseInsensitive: true).matches(leftText) ? 0 : 1
            }
            let leftBytes = Array(leftText.utf8)
            let rightBytes = Array(rightText.utf8)
            return leftBytes.withUnsafeBytes { EQLConstant.compareBytes($0, rightBytes) }
        case (.bool(let leftValue), .bool(let rightValue)):
            return leftValue == rightValue ? 0 : 1
        case (.integer(let leftValue), .integer(let rightValue)):
            return leftValue < rightValue ? -1 : (leftValue > rightValue ? 1 : 0)
        default:
            guard let leftNumber = left.number, let rightNumber = right.number else {
                return nil
            }
            return leftNumber < rightNumber ? -1 : (leftNumber > rightNumber ? 1 : 0)
        }
    }
}

extension EQLArithmetic {
    /// Applies the operation; integers stay integers unless the result overflows, and
    /// division or modulo by zero gives null.
    func apply(_ left: EQLValue, _ right: EQLValue) -> EQLValue {
        if case .integer(let leftValue) = left, case .integer(let rightValue) = right {
            let result: (partialValue: Int64, overflow: Bool)
            switch self {
            case .add: result = leftValue.addingReportingOverflow(rightValue)
            case .subtract: result = leftValue.subtractingReportingOverflow(rightValue)
            case .multiply: result = leftValue.multipliedReportingOverflow(by: rightValue)
            case .divide:
                guard rightValue != 0 else { return .null }
                result = leftValue.dividedReportingOverflow(by: rightValue)
            case .modulo:
                guard rightValue != 0 else { return .null }
                result = leftValue.remainderReportingOverflow(dividingBy: rightValue)
            }
            if !result.overflow {
                return .integer(result.partialValue)
            }
        }
        guard let leftNumber = left.numericOperand, let rightNumber = right.numericOperand else {
            return .null
        }
        switch self {
        case .add: return .double(leftNumber + rightNumber)
        case .subtract: return .double(leftNumber - rightNumber)
        case .multiply: return .double(leftNumber * rightNumber)
        case .divide: return rightNumber == 0 ? .null : .double(leftNumber / rightNumber)
        case .modulo: return rightNumber == 0 ? .null : .double(leftNumber.truncatingRemainder(dividingBy: rightNumber))
        }
    }
}

extension EQLValue {
    /// The value as an arithmetic operand: numbers only, not numeric strings.
    var numericOperand: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }
}
