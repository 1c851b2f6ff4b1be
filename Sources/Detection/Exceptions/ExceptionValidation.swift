import Foundation

/// An exception item value that Kibana would reject or that this engine cannot evaluate.
public struct ExceptionValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// JSON pointer (RFC 6901) to the offending value in the item, such as `/entries/1/value`.
    public let pointer: String
    public let message: String

    public init(pointer: String, message: String) {
        self.pointer = pointer
        self.message = message
    }

    public var description: String { "\(pointer): \(message)" }
}

/// A valid exception item value that probably does not do what its author meant.
public struct ExceptionWarning: Sendable, Equatable, CustomStringConvertible {
    /// JSON pointer (RFC 6901) to the value the warning is about.
    public let pointer: String
    public let message: String

    public var description: String { "\(pointer): \(message)" }
}

extension ExceptionItem {
    static let knownOSTypes: Set<String> = ["windows", "linux", "macos"]

    /// Checks the item the way Kibana's API does, and rejects what this engine cannot
    /// evaluate (`nested` and `list` entries). Raises the first problem found.
    public func validate() throws(ExceptionValidationError) {
        if name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ExceptionValidationError(pointer: "/name", message: "name is missing or empty")
        }
        guard type == "simple" else {
            throw ExceptionValidationError(
                pointer: "/type", message: "unknown item type \"\(type.prefix(40))\"; the only supported type is \"simple\"")
        }
        guard namespaceType == "single" || namespaceType == "agnostic" else {
            throw ExceptionValidationError(
                pointer: "/namespace_type",
                message: "unknown namespace type \"\(namespaceType.prefix(40))\"; use \"single\" or \"agnostic\"")
        }
        guard !entries.isEmpty else {
            throw ExceptionValidationError(pointer: "/entries", message: "an exception item needs at least one entry")
        }
        for (index, entry) in entries.enumerated() {
            try entry.validate(pointer: "/entries/\(index)")
        }
        for (index, osType) in osTypes.enumerated() where !Self.knownOSTypes.contains(osType) {
            throw ExceptionValidationError(
                pointer: "/os_types/\(index)",
                message: "unknown OS type \"\(osType.prefix(40))\"; use \"windows\", \"linux\" or \"macos\"")
        }
        if let expireTime, ExceptionDate.parse(expireTime) == nil {
            throw ExceptionValidationError(
                pointer: "/expire_time",
                message: "invalid time \"\(expireTime.prefix(40))\"; write an ISO 8601 time such as 2030-01-31T00:00:00Z")
        }
    }

    /// Lists values that are valid but likely mistakes, such as a Windows path pasted into a
    /// wildcard entry, where each backslash escapes the next character.
    /// Returns what is valid but probably not what the author meant: wildcard-like text in a
    /// match entry, backslashes that the wildcard syntax drops, an item made of excluded entries
    /// only, and an expiry time that has already passed at `now`. A `.caseless` field gets a
    /// note on how it is read.
    public func warnings(now: Date = Date()) -> [ExceptionWarning] {
        var warnings: [ExceptionWarning] = []
        for (index, entry) in entries.enumerated() {
            warnings += entry.warnings(pointer: "/entries/\(index)")
        }
        if !entries.isEmpty && entries.allSatisfy({ $0.operator == .excluded }) {
            warnings.append(
                ExceptionWarning(
                    pointer: "/entries",
                    message:
                        "every entry is excluded, so the item suppresses every matching event that lacks these values; add an included entry, such as user.name, to narrow it"
                ))
        }
        if let expireTime, let expiry = ExceptionDate.parse(expireTime), expiry <= now {
            warnings.append(
                ExceptionWarning(
                    pointer: "/expire_time",
                    message: "expire_time \(expireTime.prefix(40)) has already passed, so the item suppresses nothing"))
        }
        return warnings
    }
}

extension ExceptionEntry {
    func validate(pointer: String) throws(ExceptionValidationError) {
        try Self.validateFieldName(field, pointer: pointer + "/field")

        switch type {
        case .nested:
            throw ExceptionValidationError(
                pointer: pointer + "/type",
                message: "nested entries are not supported; write each condition as its own entry on the full field name")
        case .list:
            throw ExceptionValidationError(
                pointer: pointer + "/type",
                message: "list entries (value lists) are not supported; use match_any with the values instead")
        case .match, .matchAny, .wildcard, .exists:
            break
        default:
            throw ExceptionValidationError(
                pointer: pointer + "/type",
                message: "unknown entry type \"\(type.rawValue.prefix(40))\"; use match, match_any, wildcard or exists")
        }

        guard let entryOperator = `operator` else {
            throw ExceptionValidationError(
                pointer: pointer + "/operator", message: "operator is missing; use \"included\" or \"excluded\"")
        }
        guard entryOperator == .included || entryOperator == .excluded else {
            throw ExceptionValidationError(
                pointer: pointer + "/operator",
                message: "unknown operator \"\(entryOperator.rawValue.prefix(40))\"; use \"included\" or \"excluded\"")
        }

        switch (type, value) {
        case (.match, .string(let text)), (.wildcard, .string(let text)):
            if text.isEmpty {
                throw ExceptionValidationError(pointer: pointer + "/value", message: "\(type.expectedValue); found an empty string")
            }
        case (.matchAny, .list(let values)):
            if values.isEmpty {
                throw ExceptionValidationError(pointer: pointer + "/value", message: "\(type.expectedValue); found an empty array")
            }
            if let empty = values.firstIndex(of: "") {
                throw ExceptionValidationError(
                    pointer: pointer + "/value/\(empty)", message: "\(type.expectedValue); found an empty string at index \(empty)")
            }
        case (.match, nil), (.wildcard, nil), (.matchAny, nil):
            throw ExceptionValidationError(pointer: pointer + "/value", message: "\(type.expectedValue); the value is missing")
        case (.match, .list), (.wildcard, .list):
            throw ExceptionValidationError(pointer: pointer + "/value", message: "\(type.expectedValue); found an array")
        case (.matchAny, .string):
            throw ExceptionValidationError(pointer: pointer + "/value", message: "\(type.expectedValue); found a string")
        case (.exists, nil):
            break
        case (.exists, _):
            throw ExceptionValidationError(pointer: pointer + "/value", message: type.expectedValue + "." + type.valueFix)
        default:
            break
        }
    }

    /// Accepts dotted ECS-style names such as `process.command_line`.
    static func validateFieldName(_ name: String, pointer: String) throws(ExceptionValidationError) {
        guard !name.isEmpty else {
            throw ExceptionValidationError(pointer: pointer, message: "field name is missing or empty")
        }
        if name.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            throw ExceptionValidationError(
                pointer: pointer, message: "field name \"\(name.prefix(60))\" contains whitespace or control characters")
        }
        if name.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
            throw ExceptionValidationError(
                pointer: pointer,
                message: "field name \"\(name.prefix(60))\" has an empty part; write dotted names such as process.command_line")
        }
    }

    func warnings(pointer: String) -> [ExceptionWarning] {
        var warnings: [ExceptionWarning] = []
        let readField = readField
        if readField.lowercased {
            warnings.append(
                ExceptionWarning(
                    pointer: pointer + "/field",
                    message:
                        "\(field.prefix(60)) is read as \(readField.path.name.prefix(60)) with the event value and the entry value lowercased, as the lowercase normalizer of Elastic Defend's .caseless sub-fields does; detectd has no index mapping"
                ))
        }
        return warnings + valueWarnings(pointer: pointer) + caseFoldingWarnings(pointer: pointer)
    }

    /// Warns when `case_insensitive` is set on a value with letters beyond ASCII, because it
    /// does not fold them, as in Elasticsearch. A `.caseless` field lowercases every letter.
    private func caseFoldingWarnings(pointer: String) -> [ExceptionWarning] {
        guard caseInsensitive == true, !readField.lowercased else {
            return []
        }
        let values: [String]
        switch value {
        case .string(let text): values = [text]
        case .list(let list): values = list
        case nil: values = []
        }
        guard let text = values.first(where: { $0.unicodeScalars.contains { !$0.isASCII && $0.properties.changesWhenCaseMapped } }) else {
            return []
        }
        return [
            ExceptionWarning(
                pointer: pointer + "/case_insensitive",
                message:
                    "case_insensitive folds only ASCII letters, as Elasticsearch does, so the other letters of \"\(text.prefix(60))\" must match in case; list each spelling in a match_any entry to accept them all"
            )
        ]
    }

    private func valueWarnings(pointer: String) -> [ExceptionWarning] {
        switch (type, value) {
        case (.wildcard, .string(let text)):
            return Self.backslashWarnings(text, pointer: pointer + "/value")
        case (.match, .string(let text)) where text.contains("*") || text.contains("?"):
            return [
                ExceptionWarning(
                    pointer: pointer + "/value",
                    message:
                        "a match entry compares \"\(text.prefix(60))\" literally, so '*' and '?' are not wildcards here; use type \"wildcard\" to match a pattern"
                )
            ]
        default:
            return []
        }
    }

    /// Warns about `\` before a character other than `*`, `?` or `\`: Elasticsearch wildcard
    /// syntax drops such a backslash, so `C:\Windows\*` matches the literal text `C:Windows*`.
    static func backslashWarnings(_ text: String, pointer: String) -> [ExceptionWarning] {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var suspicious = false
        while index < scalars.count {
            if scalars[index] == "\\" {
                if index + 1 < scalars.count, !["*", "?", "\\"].contains(scalars[index + 1]) {
                    suspicious = true
                }
                index += 2
            } else {
                index += 1
            }
        }
        guard suspicious else {
            return []
        }
        let matched = unescapedLiteral(scalars)
        let suggestion = doubledBackslashes(scalars)
        return [
            ExceptionWarning(
                pointer: pointer,
                message:
                    "Elasticsearch wildcard syntax drops a backslash before a character other than *, ? or \\, so \"\(text.prefix(80))\" matches the text \"\(matched.prefix(80))\", in which \\* and \\? stand for a literal * and ?. To match a backslash, double it: \"\(suggestion.prefix(80))\"."
            )
        ]
    }

    /// Rewrites the value as its author most likely meant it. Every single backslash is
    /// doubled, so it matches a literal backslash and a following `*` or `?` stays a wildcard.
    private static func doubledBackslashes(_ scalars: [Unicode.Scalar]) -> String {
        var result = ""
        var index = 0
        while index < scalars.count {
            if scalars[index] == "\\" {
                result += "\\\\"
                index += index + 1 < scalars.count && scalars[index + 1] == "\\" ? 2 : 1
            } else {
                result.unicodeScalars.append(scalars[index])
                index += 1
            }
        }
        return result
    }

    /// Resolves the escapes of a wildcard value for display. Wildcards stay `*` and `?`, and
    /// escaped wildcards are shown as `\*` and `\?`.
    private static func unescapedLiteral(_ scalars: [Unicode.Scalar]) -> String {
        var result = ""
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\", index + 1 < scalars.count {
                let next = scalars[index + 1]
                result += next == "*" || next == "?" ? "\\\(next)" : String(next)
                index += 2
            } else {
                result.unicodeScalars.append(scalar)
                index += 1
            }
        }
        return result
    }
}

/// Parsing of Kibana's `expire_time`.
enum ExceptionDate {
    static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
            return date
        }
        return try? Date(text, strategy: Date.ISO8601FormatStyle())
    }
}
