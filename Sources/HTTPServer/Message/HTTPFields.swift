/// The field lines of a request or response, in the order received (RFC 9110, section 5).
///
/// Names compare case-insensitively and keep the spelling they were added with.
public struct HTTPFields: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Element = (name: String, value: String)

    private var fields: [Element] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements {
            append(name, value)
        }
    }

    public var count: Int { fields.count }

    /// The first value of the field named `name`, or nil when there is none.
    public subscript(name: String) -> String? {
        fields.first(where: { Self.namesMatch($0.name, name) })?.value
    }

    /// Every value of the field named `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { Self.namesMatch($0.name, name) }.map(\.value)
    }

    /// The comma-separated list elements of every line of the field named `name`, trimmed, with
    /// empty elements dropped (RFC 9110, section 5.6.1).
    public func listElements(_ name: String) -> [String] {
        values(name).flatMap { value in
            value.split(separator: ",").map { $0.trimmingHTTPWhitespace() }.filter { !$0.isEmpty }
        }
    }

    public func contains(_ name: String) -> Bool {
        fields.contains(where: { Self.namesMatch($0.name, name) })
    }

    public mutating func append(_ name: String, _ value: String) {
        fields.append((name, value))
    }

    /// Replaces every line of the field named `name` with one line holding `value`.
    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        fields.append((name, value))
    }

    public mutating func remove(_ name: String) {
        fields.removeAll(where: { Self.namesMatch($0.name, name) })
    }

    public func makeIterator() -> IndexingIterator<[Element]> {
        fields.makeIterator()
    }

    /// Compares field names, which are ASCII tokens, without allocating lowercased copies.
    static func namesMatch(_ left: String, _ right: String) -> Bool {
        guard left.utf8.count == right.utf8.count else {
            return false
        }
        var left = left
        var right = right
        return left.withUTF8 { leftBytes in
            right.withUTF8 { rightBytes in
                for index in 0..<leftBytes.count where leftBytes[index] != rightBytes[index] {
                    if asciiLowercase(leftBytes[index]) != asciiLowercase(rightBytes[index]) {
                        return false
                    }
                }
                return true
            }
        }
    }

    private static func asciiLowercase(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and horizontal tabs (OWS, RFC 9110, section 5.6.3).
    public func trimmingHTTPWhitespace() -> String {
        let isWhitespace: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        let text = Substring(self)
        guard let first = text.utf8.firstIndex(where: { !isWhitespace($0) }) else {
            return ""
        }
        let last = text.utf8.lastIndex(where: { !isWhitespace($0) })!
        return String(text[first...last])
    }
}
