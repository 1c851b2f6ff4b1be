/// A dotted ECS field name, split into its segments once when a query or an exception is
/// compiled, so that evaluation never splits strings.
public struct FieldPath: Hashable, Sendable, CustomStringConvertible {
    /// The field name as written, such as `registry.path`.
    public let name: String
    /// `name` split at each `.`.
    public let segments: [String]

    public init(_ name: String) {
        self.name = name
        self.segments = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    public var description: String { name }
}

/// One scalar value of an event field.
///
/// A string is a view of UTF-8 bytes in the parser's memory. It is valid only inside the
/// closure that received it; copy it to keep it.
public enum FieldValue {
    case string(UnsafeRawBufferPointer)
    case integer(Int64)
    case unsignedInteger(UInt64)
    case double(Double)
    case bool(Bool)
}

/// Read access to one event's fields with Elasticsearch semantics: nested objects and dotted
/// keys name the same field (`{"registry":{"path":x}}` and `{"registry.path":x}`), each
/// element of an array is a value of its own, and `null` counts as missing.
public protocol EventFields {
    /// Calls `body` with each scalar value of `path`, in document order, until `body` returns
    /// `false`. Objects and `null` are not values and are skipped.
    func forEachValue(of path: FieldPath, _ body: (FieldValue) -> Bool)
}

extension EventFields {
    /// Whether `path` has at least one non-null scalar value.
    public func hasValue(_ path: FieldPath) -> Bool {
        var found = false
        forEachValue(of: path) { _ in
            found = true
            return false
        }
        return found
    }

    /// The first string value of `path`, copied out of the parser's memory.
    public func firstString(_ path: FieldPath) -> String? {
        var result: String?
        forEachValue(of: path) { value in
            if case .string(let bytes) = value {
                result = String(decoding: bytes, as: UTF8.self)
                return false
            }
            return true
        }
        return result
    }
}
