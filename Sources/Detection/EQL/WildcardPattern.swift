/// A compiled wildcard pattern over UTF-8 text: `*` matches any run of characters (also across
/// `\` and `/`), `?` matches exactly one Unicode scalar, anything else matches itself under the
/// pattern's `CaseMatching`.
///
/// Matching uses a greedy star that backtracks only to the most recent `*`, so a pattern such
/// as `*a*a*a*b` stays close to linear on long subjects instead of exploring every split.
public struct WildcardPattern: Sendable, Hashable, CustomStringConvertible {
    enum Element: Sendable, Hashable {
        /// A scalar value, already mapped with the pattern's `CaseMatching`.
        case scalar(UInt32)
        case anyCharacter
        case anyRun
    }

    let elements: [Element]
    /// The mapping applied to subject scalars before they are compared with the pattern's.
    public let caseMatching: CaseMatching
    /// The pattern text after unescaping, for messages.
    public let description: String

    /// Whether the pattern ignores the case of at least the ASCII letters.
    public var caseInsensitive: Bool { caseMatching != .sensitive }

    /// Compiles an EQL string value (after EQL's own string unescaping), in which every `*` and
    /// `?` is a wildcard. A case-insensitive EQL pattern folds with simple Unicode case folding.
    public init(eqlValue: String, caseInsensitive: Bool) {
        let caseMatching: CaseMatching = caseInsensitive ? .unicodeFolding : .sensitive
        var elements: [Element] = []
        for scalar in eqlValue.unicodeScalars {
            switch scalar {
            case "*":
                Self.appendAnyRun(to: &elements)
            case "?":
                elements.append(.anyCharacter)
            default:
                elements.append(.scalar(caseMatching.map(scalar.value)))
            }
        }
        self.elements = elements
        self.caseMatching = caseMatching
        self.description = eqlValue
    }

    /// Compiles an Elasticsearch `wildcard` query value: `\` makes the next character literal
    /// (`\*`, `\?`, `\\`, and also `\W`, which is a plain `W`), and a trailing `\` is literal.
    public init(elasticsearchWildcard value: String, caseMatching: CaseMatching) {
        var elements: [Element] = []
        var escaped = false
        for scalar in value.unicodeScalars {
            if escaped {
                elements.append(.scalar(caseMatching.map(scalar.value)))
                escaped = false
                continue
            }
            switch scalar {
            case "\\":
                escaped = true
            case "*":
                Self.appendAnyRun(to: &elements)
            case "?":
                elements.append(.anyCharacter)
            default:
                elements.append(.scalar(caseMatching.map(scalar.value)))
            }
        }
        if escaped {
            elements.append(.scalar(UInt32(UInt8(ascii: "\\"))))
        }
        self.elements = elements
        self.caseMatching = caseMatching
        self.description = value
    }

    /// Compiles an Elasticsearch `wildcard` query value, folding like EQL when `caseInsensitive`.
    public init(elasticsearchWildcard value: String, caseInsensitive: Bool) {
        self.init(elasticsearchWildcard: value, caseMatching: caseInsensitive ? .unicodeFolding : .sensitive)
    }

    /// Compiles a pattern in which every character is literal: equality under `caseMatching`.
    public init(literal value: String, caseMatching: CaseMatching) {
        self.elements = value.unicodeScalars.map { .scalar(caseMatching.map($0.value)) }
        self.caseMatching = caseMatching
        self.description = value
    }

    /// Compiles a literal pattern, folding like EQL when `caseInsensitive`.
    public init(literal value: String, caseInsensitive: Bool) {
        self.init(literal: value, caseMatching: caseInsensitive ? .unicodeFolding : .sensitive)
    }

    /// Builds `*part1*part2*` from literal parts, with the outer stars as requested.
    init(literalParts: [String], leadingAnyRun: Bool, trailingAnyRun: Bool, caseInsensitive: Bool) {
        let caseMatching: CaseMatching = caseInsensitive ? .unicodeFolding : .sensitive
        var elements: [Element] = leadingAnyRun ? [.anyRun] : []
        for (index, part) in literalParts.enumerated() {
            if index > 0 {
                Self.appendAnyRun(to: &elements)
            }
            elements += part.unicodeScalars.map { .scalar(caseMatching.map($0.value)) }
        }
        if trailingAnyRun {
            Self.appendAnyRun(to: &elements)
        }
        self.elements = elements
        self.caseMatching = caseMatching
        self.description = (leadingAnyRun ? "*" : "") + literalParts.joined(separator: "*") + (trailingAnyRun ? "*" : "")
    }

    /// Whether the pattern has no `*` or `?`, so that it matches exactly one string.
    public var isLiteral: Bool {
        elements.allSatisfy {
            if case .scalar = $0 { return true }
            return false
        }
    }

    /// Returns whether the whole of `bytes`, read as UTF-8, matches the pattern.
    public func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        let foldsASCII = caseMatching != .sensitive
        var patternIndex = 0
        var offset = 0
        var starIndex = -1
        var starOffset = 0

        while offset < count {
            if patternIndex < elements.count {
                switch elements[patternIndex] {
                case .anyRun:
                    starIndex = patternIndex
                    starOffset = offset
                    patternIndex += 1
                    continue
                case .anyCharacter:
                    offset += UTF8Scalar.decode(bytes, at: offset).length
                    patternIndex += 1
                    continue
                case .scalar(let expected):
                    // ASCII, the common case in paths and names, needs neither decoding nor the
                    // folding table.
                    let byte = bytes[offset]
                    if byte < 0x80 {
                        let actual = foldsASCII && byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                        if UInt32(actual) == expected {
                            offset += 1
                            patternIndex += 1
                            continue
                        }
                    } else {
                        let (value, length) = UTF8Scalar.decode(bytes, at: offset)
                        let actual = caseMatching.mapNonASCII(value)
                        if actual == expected {
                            offset += length
                            patternIndex += 1
                            continue
                        }
                    }
                }
            }
            // Mismatch: let the last `*` absorb one more scalar and retry from there.
            guard starIndex >= 0 else {
                return false
            }
            starOffset += bytes[starOffset] < 0x80 ? 1 : UTF8Scalar.decode(bytes, at: starOffset).length
            offset = starOffset
            patternIndex = starIndex + 1
        }

        while patternIndex < elements.count, elements[patternIndex] == .anyRun {
            patternIndex += 1
        }
        return patternIndex == elements.count
    }

    /// Returns whether `text` matches the pattern.
    public func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { matches(UnsafeRawBufferPointer($0)) }
    }

    private static func appendAnyRun(to elements: inout [Element]) {
        // Consecutive stars match the same as one and would only add backtracking points.
        if elements.last != .anyRun {
            elements.append(.anyRun)
        }
    }
}
