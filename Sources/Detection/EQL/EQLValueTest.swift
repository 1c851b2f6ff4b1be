/// A test of one event field value against constants from the query; a field passes when any
/// of its values passes. Tests read values in place and do not allocate, except regular
/// expressions, CIDR blocks and numeric strings compared with numbers.
enum EQLValueTest: Sendable {
    /// `==`, `in`, `in~`: equal to any of the constants.
    case equals([EQLConstant], caseInsensitive: Bool)
    case ordered(EQLComparison, EQLConstant)
    /// `:`, `like`, `like~`, and `startsWith`, `endsWith`, `stringContains` with a constant.
    case wildcards([WildcardPattern])
    case regexes([EQLRegex])
    case cidr([CIDRBlock])

    func passes(_ value: FieldValue) -> Bool {
        switch self {
        case .equals(let constants, let caseInsensitive):
            return constants.contains { $0.equals(value, caseInsensitive: caseInsensitive) }
        case .ordered(let comparison, let constant):
            guard let order = constant.compare(value) else {
                return false
            }
            return comparison.holds(forOrder: order)
        case .wildcards(let patterns):
            return value.withStringForm { bytes in patterns.contains { $0.matches(bytes) } }
        case .regexes(let regexes):
            return value.withStringForm { bytes in
                let text = String(decoding: bytes, as: UTF8.self)
                return regexes.contains { $0.matches(text) }
            }
        case .cidr(let blocks):
            guard case .string(let bytes) = value, let address = CIDRBlock.parseAddress(bytes) else {
                return false
            }
            return blocks.contains { $0.contains(address) }
        }
    }
}

extension EQLComparison {
    /// Whether the comparison holds for an order of -1 (less), 0 (equal) or 1 (greater).
    func holds(forOrder order: Int) -> Bool {
        switch self {
        case .equal: order == 0
        case .notEqual: order != 0
        case .less: order < 0
        case .lessOrEqual: order <= 0
        case .greater: order > 0
        case .greaterOrEqual: order >= 0
        }
    }
}
