import Foundation

@testable import Detection

/// An event backed by Foundation's `JSONSerialization`, with the field semantics of
/// `EventFields`: nested objects and dotted keys name the same field, each array element is a
/// value, and `null` is missing. Unit tests use it in place of the simdjson event.
struct JSONTestEvent: EventFields {
    let object: [String: Any]

    init(json: String) throws {
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        guard let object = parsed as? [String: Any] else {
            throw JSONTestEventError.notAnObject(json)
        }
        self.object = object
    }

    init(_ object: [String: Any]) {
        self.object = object
    }

    func forEachValue(of path: FieldPath, _ body: (FieldValue) -> Bool) {
        var keepGoing = true
        Self.visit(object, segments: path.segments[...], keepGoing: &keepGoing, body)
    }

    private static func visit(
        _ node: Any,
        segments: ArraySlice<String>,
        keepGoing: inout Bool,
        _ body: (FieldValue) -> Bool
    ) {
        guard keepGoing else {
            return
        }
        if let array = node as? [Any] {
            for element in array where keepGoing {
                visit(element, segments: segments, keepGoing: &keepGoing, body)
            }
            return
        }
        if segments.isEmpty {
            emit(node, keepGoing: &keepGoing, body)
            return
        }
        guard let object = node as? [String: Any] else {
            return
        }
        // Try every split of the remaining segments into one dotted key and a rest, so that
        // `{"registry.path": x}` and `{"registry": {"path": x}}` both resolve.
        for length in 1...segments.count where keepGoing {
            let key = segments.prefix(length).joined(separator: ".")
            if let child = object[key] {
                visit(child, segments: segments.dropFirst(length), keepGoing: &keepGoing, body)
            }
        }
    }

    private static func emit(_ node: Any, keepGoing: inout Bool, _ body: (FieldValue) -> Bool) {
        switch node {
        case let text as String:
            var copy = text
            keepGoing = copy.withUTF8 { body(.string(UnsafeRawBufferPointer($0))) }
        case let number as NSNumber:
            keepGoing = body(fieldValue(of: number))
        default:
            // Objects and NSNull are not values.
            break
        }
    }

    private static func fieldValue(of number: NSNumber) -> FieldValue {
        let type = String(cString: number.objCType)
        switch type {
        case "c", "B":
            return .bool(number.boolValue)
        case "f", "d":
            return .double(number.doubleValue)
        case "Q", "L", "I", "S":
            return .unsignedInteger(number.uint64Value)
        default:
            return .integer(number.int64Value)
        }
    }
}

enum JSONTestEventError: Error {
    case notAnObject(String)
}
