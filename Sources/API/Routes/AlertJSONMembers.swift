import Foundation

/// The members of a JSON object text, each value kept as its raw text, so that stored alert
/// documents can be rearranged without parsing numbers or strings and changing them.
///
/// The input must be valid JSON, as every stored document and event is. On anything else the
/// scan stops and returns the members read so far.
struct AlertJSONMembers {
    struct Member {
        let key: String
        /// The value exactly as written: a string with its quotes, a number, an object, …
        let rawValue: Substring
    }

    let members: [Member]

    init(_ text: String) {
        var members: [Member] = []
        let utf8 = text.utf8
        var index = Self.skipWhitespace(utf8, from: utf8.startIndex)
        guard index < utf8.endIndex, utf8[index] == UInt8(ascii: "{") else {
            self.members = []
            return
        }
        index = utf8.index(after: index)
        while true {
            index = Self.skipWhitespace(utf8, from: index)
            guard index < utf8.endIndex, utf8[index] == UInt8(ascii: "\"") else { break }
            let keyEnd = Self.endOfString(utf8, from: index)
            let key = Self.decodeKey(text[index..<keyEnd])
            index = Self.skipWhitespace(utf8, from: keyEnd)
            guard index < utf8.endIndex, utf8[index] == UInt8(ascii: ":") else { break }
            let valueStart = Self.skipWhitespace(utf8, from: utf8.index(after: index))
            let valueEnd = Self.endOfValue(utf8, from: valueStart)
            guard valueStart < valueEnd else { break }
            members.append(Member(key: key, rawValue: text[valueStart..<valueEnd]))
            index = Self.skipWhitespace(utf8, from: valueEnd)
            guard index < utf8.endIndex, utf8[index] == UInt8(ascii: ",") else { break }
            index = utf8.index(after: index)
        }
        self.members = members
    }

    subscript(key: String) -> Substring? {
        members.first { $0.key == key }?.rawValue
    }

    private static func skipWhitespace(_ utf8: String.UTF8View, from start: String.Index) -> String.Index {
        var index = start
        while index < utf8.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(utf8[index]) {
            index = utf8.index(after: index)
        }
        return index
    }

    /// Returns the index after the closing quote of the string that starts at `start`.
    private static func endOfString(_ utf8: String.UTF8View, from start: String.Index) -> String.Index {
        var index = utf8.index(after: start)
        while index < utf8.endIndex {
            switch utf8[index] {
            case UInt8(ascii: "\\"):
                index = utf8.index(index, offsetBy: 2, limitedBy: utf8.endIndex) ?? utf8.endIndex
            case UInt8(ascii: "\""):
                return utf8.index(after: index)
            default:
                index = utf8.index(after: index)
            }
        }
        return index
    }

    /// Returns the index after the value that starts at `start`: a string, a nested object or
    /// array, or a literal (number, true, false, null).
    private static func endOfValue(_ utf8: String.UTF8View, from start: String.Index) -> String.Index {
        guard start < utf8.endIndex else { return start }
        var depth = 0
        var index = start
        while index < utf8.endIndex {
            let byte = utf8[index]
            switch byte {
            case UInt8(ascii: "\""):
                index = endOfString(utf8, from: index)
                if depth == 0 { return index }
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return index }
                depth -= 1
                if depth == 0 { return utf8.index(after: index) }
            case UInt8(ascii: ","), 0x20, 0x09, 0x0A, 0x0D:
                if depth == 0 { return index }
            default:
                break
            }
            index = utf8.index(after: index)
        }
        return index
    }

    /// Decodes a quoted key; keys without escapes, the usual case, are copied as they are.
    private static func decodeKey(_ quoted: Substring) -> String {
        let inner = quoted.dropFirst().dropLast()
        guard inner.contains("\\") else {
            return String(inner)
        }
        return (try? JSONDecoder().decode(String.self, from: Data(quoted.utf8))) ?? String(inner)
    }
}
