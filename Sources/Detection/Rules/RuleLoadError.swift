/// A rule file that cannot be loaded, with the file and the field at fault.
public struct RuleLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The file cannot be read.
        case unreadable
        /// The file is not valid JSON or not a JSON object.
        case invalidJSON
        /// A required field is absent or `null`.
        case missingField
        /// A field has the wrong JSON type or a value out of range.
        case invalidField
        /// The rule's `type` is not `eql`.
        case unsupportedType
    }

    public let kind: Kind
    /// The rule file's path, when the rule came from a file.
    public var file: String?
    /// The field at fault as a path such as `threat[0].tactic.id`.
    public let field: String?
    public let message: String

    public init(kind: Kind, file: String? = nil, field: String? = nil, message: String) {
        self.kind = kind
        self.file = file
        self.field = field
        self.message = message
    }

    public var description: String {
        guard let file else { return message }
        return "\(file): \(message)"
    }
}
