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
///
/// The first value is stored apart from the rest, so that a field with one value, which is
/// nearly every field, needs no array of its own. An alert has about twenty fields, and an
/// array for each doubled the allocations of building and freeing one.
public struct AlertField: Sendable, Equatable {
    /// The field's index in `summaryPaths`.
    let summaryIndex: Int
    public let firstValue: AlertFieldValue
    /// The values after the first, in document order; usually empty.
    public let otherValues: [AlertFieldValue]

    /// The ECS fields an alert summarizes, in the order the alert document lists them.
    public static let summaryPaths: [FieldPath] = [
        "host.name", "host.os.type",
        "user.name", "user.domain", "user.id",
        "process.name", "process.executable", "process.pid", "process.command_line", "process.entity_id",
        "registry.path", "registry.hive", "registry.key", "registry.value", "registry.data.strings", "registry.data.type",
        "event.action", "event.code", "event.id",
    ].map(FieldPath.init)

    /// Whether each of `summaryPaths` is written as an array even with one value, as ECS
    /// defines `registry.data.strings`.
    static let summaryPathIsArray: [Bool] = summaryPaths.map { $0.name == "registry.data.strings" }

    init(summaryIndex: Int, firstValue: AlertFieldValue, otherValues: [AlertFieldValue]) {
        self.summaryIndex = summaryIndex
        self.firstValue = firstValue
        self.otherValues = otherValues
    }

    public var path: FieldPath { Self.summaryPaths[summaryIndex] }

    /// Every value, in document order.
    public var values: [AlertFieldValue] { [firstValue] + otherValues }

    /// Whether the field is written as an array even with one value.
    public var isArray: Bool { Self.summaryPathIsArray[summaryIndex] }
}
