/// A scalar copied out of an event for an alert, so that it outlives the parser's memory.
public enum AlertFieldValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case unsignedInteger(UInt64)
    case double(Double)
    case bool(Bool)

    init(_ value: FieldValue) {
        switch value {
        case .string(let bytes): self = .string(String(decoding: bytes, as: UTF8.self))
        case .integer(let integer): self = .integer(integer)
        case .unsignedInteger(let integer): self = .unsignedInteger(integer)
        case .double(let double): self = .double(double)
        case .bool(let flag): self = .bool(flag)
        }
    }

    /// The value as text: strings as they are, numbers and booleans in JSON notation.
    public var text: String {
        switch self {
        case .string(let string): string
        case .integer(let integer): String(integer)
        case .unsignedInteger(let integer): String(integer)
        case .double(let double): double.description
        case .bool(let flag): flag ? "true" : "false"
        }
    }

    func write(to writer: inout JSONWriter) {
        switch self {
        case .string(let string): writer.string(string)
        case .integer(let integer): writer.number(integer)
        case .unsignedInteger(let integer): writer.number(integer)
        case .double(let double): writer.number(double)
        case .bool(let flag): writer.bool(flag)
        }
    }
}

/// One ECS field an alert copies from its event, with every value the event has for it.
public struct AlertField: Sendable, Equatable {
    public let path: FieldPath
    public let values: [AlertFieldValue]
    /// Whether the field is written as an array even with one value, as ECS defines
    /// `registry.data.strings`.
    public let isArray: Bool

    /// The ECS fields an alert summarizes, in the order the alert document lists them.
    public static let summaryPaths: [FieldPath] = [
        "host.name", "host.os.type",
        "user.name", "user.domain", "user.id",
        "process.name", "process.executable", "process.pid", "process.command_line", "process.entity_id",
        "registry.path", "registry.hive", "registry.key", "registry.value", "registry.data.strings", "registry.data.type",
        "event.action", "event.code", "event.id",
    ].map(FieldPath.init)

    static let arrayPaths: Set<String> = ["registry.data.strings"]

    init(path: FieldPath, values: [AlertFieldValue]) {
        self.path = path
        self.values = values
        self.isArray = Self.arrayPaths.contains(path.name)
    }

    /// Copies the values of `path` from `event`; nil when the event has none.
    init?(path: FieldPath, of event: some EventFields) {
        var values: [AlertFieldValue] = []
        event.forEachValue(of: path) { value in
            values.append(AlertFieldValue(value))
            return true
        }
        guard !values.isEmpty else { return nil }
        self.path = path
        self.values = values
        self.isArray = Self.arrayPaths.contains(path.name)
    }
}
