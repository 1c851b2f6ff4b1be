extension EQLFunction {
    /// Computes the function on evaluated arguments. A null in a required argument gives null,
    /// as in Elasticsearch. String positions count Unicode scalars from 0.
    func evaluate(_ arguments: [EQLValue], caseInsensitive: Bool) -> EQLValue {
        switch self {
        case .add: return EQLArithmetic.add.apply(arguments[0], arguments[1])
        case .subtract: return EQLArithmetic.subtract.apply(arguments[0], arguments[1])
        case .multiply: return EQLArithmetic.multiply.apply(arguments[0], arguments[1])
        case .divide: return EQLArithmetic.divide.apply(arguments[0], arguments[1])
        case .modulo: return EQLArithmetic.modulo.apply(arguments[0], arguments[1])
        case .between: return Self.between(arguments, caseInsensitive: caseInsensitive)
        case .cidrMatch: return Self.cidrMatch(arguments)
        case .concat: return Self.concat(arguments)
        case .endsWith, .startsWith, .stringContains:
            return searchPredicate(arguments, caseInsensitive: caseInsensitive)
        case .indexOf: return Self.indexOf(arguments, caseInsensitive: caseInsensitive)
        case .length:
            guard let text = arguments[0].text else { return .null }
            return .integer(Int64(text.unicodeScalars.count))
        case .number: return Self.number(arguments)
        case .string: return arguments[0].text.map(EQLValue.string) ?? .null
        case .substring: return Self.substring(arguments)
        }
    }

    private func searchPredicate(_ arguments: [EQLValue], caseInsensitive: Bool) -> EQLValue {
        guard let source = arguments[0].text, let searched = arguments[1].text else {
            return .null
        }
        let pattern: WildcardPattern
        switch self {
        case .startsWith: pattern = .prefix(searched, caseInsensitive: caseInsensitive)
        case .endsWith: pattern = .suffix(searched, caseInsensitive: caseInsensitive)
        default: pattern = .containing(searched, caseInsensitive: caseInsensitive)
        }
        return .bool(pattern.matches(source))
    }

    private static func scalars(_ text: String, folded: Bool) -> [UInt32] {
        text.unicodeScalars.map { folded ? CaseFolding.fold($0.value) : $0.value }
    }

    /// Finds the first position at or after `start` where `needle` occurs in `haystack`.
    private static func find(_ needle: [UInt32], in haystack: [UInt32], from start: Int) -> Int? {
        guard start >= 0, needle.count <= haystack.count - start else {
            return nil
        }
        for position in start...(haystack.count - needle.count)
        where haystack[position..<(position + needle.count)].elementsEqual(needle) {
            return position
        }
        return nil
    }

    private static func between(_ arguments: [EQLValue], caseInsensitive: Bool) -> EQLValue {
        guard let source = arguments[0].text, let left = arguments[1].text, let right = arguments[2].text else {
            return .null
        }
        var greedy = false
        if arguments.count == 4 {
            guard case .bool(let value) = arguments[3] else { return .null }
            greedy = value
        }

        let original = Array(source.unicodeScalars)
        let haystack = scalars(source, folded: caseInsensitive)
        let leftScalars = scalars(left, folded: caseInsensitive)
        let rightScalars = scalars(right, folded: caseInsensitive)
        guard let leftStart = find(leftScalars, in: haystack, from: 0) else {
            return .string("")
        }

        let contentStart = leftStart + leftScalars.count
        var contentEnd: Int?
        if greedy {
            var position = contentStart
            while let found = find(rightScalars, in: haystack, from: position) {
                contentEnd = found
                position = found + 1
            }
        } else {
            contentEnd = find(rightScalars, in: haystack, from: contentStart)
        }
        guard let contentEnd else {
            return .string("")
        }

        var result = String.UnicodeScalarView()
        result.append(contentsOf: original[contentStart..<contentEnd])
        return .string(String(result))
    }

    private static func cidrMatch(_ arguments: [EQLValue]) -> EQLValue {
        guard case .string(let text) = arguments[0] else {
            return .null
        }
        guard let address = CIDRBlock.parseAddress(text) else {
            return .bool(false)
        }
        for argument in arguments.dropFirst() {
            if case .string(let blockText) = argument, let block = CIDRBlock(blockText), block.contains(address) {
                return .bool(true)
            }
        }
        return .bool(false)
    }

    private static func concat(_ arguments: [EQLValue]) -> EQLValue {
        var result = ""
        for argument in arguments {
            guard let text = argument.text else {
                return .null
            }
            result += text
        }
        return .string(result)
    }

    private static func indexOf(_ arguments: [EQLValue], caseInsensitive: Bool) -> EQLValue {
        guard let source = arguments[0].text, let searched = arguments[1].text else {
            return .null
        }
        var start = 0
        if arguments.count == 3 {
            guard case .integer(let value) = arguments[2] else {
                return .null
            }
            start = max(0, Int(clamping: value))
        }
        let haystack = scalars(source, folded: caseInsensitive)
        guard start <= haystack.count,
            let position = find(scalars(searched, folded: caseInsensitive), in: haystack, from: start)
        else {
            return .null
        }
        return .integer(Int64(position))
    }

    private static func number(_ arguments: [EQLValue]) -> EQLValue {
        var base = 10
        if arguments.count == 2 {
            guard case .integer(let value) = arguments[1], (2...36).contains(value) else {
                return .null
            }
            base = Int(value)
        }
        switch arguments[0] {
        case .integer, .double:
            return arguments[0]
        case .string(let text):
            var digits = text.trimmingWhitespace()
            var negative = false
            if digits.hasPrefix("-") {
                negative = true
                digits = digits.dropFirst()
            }
            if base == 16, digits.lowercased().hasPrefix("0x") {
                digits = digits.dropFirst(2)
            }
            if let integer = Int64(digits, radix: base) {
                return .integer(negative ? -integer : integer)
            }
            if base == 10, let double = Double(digits) {
                return .double(negative ? -double : double)
            }
            return .null
        default:
            return .null
        }
    }

    /// `substring(source, start[, end])` with Python slice semantics: negative positions count
    /// from the end, and positions past either end are clamped.
    private static func substring(_ arguments: [EQLValue]) -> EQLValue {
        guard let source = arguments[0].text, case .integer(let startValue) = arguments[1] else {
            return .null
        }
        let scalars = Array(source.unicodeScalars)
        let count = scalars.count
        func position(_ value: Int64) -> Int {
            let index = Int(clamping: value)
            return index < 0 ? max(0, count + index) : min(index, count)
        }
        let start = position(startValue)
        var end = count
        if arguments.count == 3 {
            switch arguments[2] {
            case .integer(let endValue): end = position(endValue)
            case .null: end = count
            default: return .null
            }
        }
        guard start < end else {
            return .string("")
        }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[start..<end])
        return .string(String(result))
    }
}

extension WildcardPattern {
    /// Matches text that starts with `prefix`; every character of `prefix` is literal.
    static func prefix(_ prefix: String, caseInsensitive: Bool) -> WildcardPattern {
        WildcardPattern(literalParts: [prefix], leadingAnyRun: false, trailingAnyRun: true, caseInsensitive: caseInsensitive)
    }

    static func suffix(_ suffix: String, caseInsensitive: Bool) -> WildcardPattern {
        WildcardPattern(literalParts: [suffix], leadingAnyRun: true, trailingAnyRun: false, caseInsensitive: caseInsensitive)
    }

    static func containing(_ part: String, caseInsensitive: Bool) -> WildcardPattern {
        WildcardPattern(literalParts: [part], leadingAnyRun: true, trailingAnyRun: true, caseInsensitive: caseInsensitive)
    }
}
