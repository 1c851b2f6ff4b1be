import Detection
import Foundation
import HTTPServer

/// Decodes small JSON request bodies (exception items, status changes) with Foundation and
/// turns decoding failures into problems that point at the offending member.
enum JSONRequestBody {
    static func decode<Value: Decodable>(_ type: Value.Type, from request: HTTPRequest) throws -> Value {
        if let contentType = request.headers["Content-Type"] {
            let mediaType =
                contentType.split(separator: ";", maxSplits: 1).first.map {
                    $0.trimmingCharacters(in: .whitespaces).lowercased()
                } ?? ""
            guard mediaType == "application/json" || mediaType == "application/merge-patch+json" else {
                throw APIProblem.unsupportedMediaType(contentType, supported: ["application/json"])
            }
        }
        // Depth, string length and UTF-8 limits apply to every body. Integers beyond 64 bits,
        // which only the event parser cannot represent, are left to Foundation here.
        let syntaxError = JSONValidation.firstError(in: request.body)
        if let syntaxError, let limit = syntaxError.limit, limit != .numberRange {
            throw APIProblem.inputLimitExceeded(syntaxError, limit: limit)
        }
        do {
            return try JSONDecoder().decode(Value.self, from: Data(request.body))
        } catch let error as DecodingError {
            // Foundation names no position for a syntax error, so the scanner's is reported.
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty, let syntaxError, syntaxError.limit == nil {
                throw APIProblem.invalidJSON(syntaxError, expected: "Send one JSON object as described in openapi.yaml.")
            }
            throw APIProblem.decoding(error)
        }
    }
}

extension APIProblem {
    static func decoding(_ error: DecodingError) -> APIProblem {
        switch error {
        case .keyNotFound(let key, let context):
            let pointer = jsonPointer(context.codingPath + [key])
            return .unprocessable("The member '\(key.stringValue)' is required at \(pointer).", pointer: pointer)
        case .typeMismatch(let type, let context):
            let pointer = jsonPointer(context.codingPath)
            return .unprocessable("The value at \(pointer) has the wrong type; expected \(describe(type)).", pointer: pointer)
        case .valueNotFound(let type, let context):
            let pointer = jsonPointer(context.codingPath)
            return .unprocessable("The value at \(pointer) is null; expected \(describe(type)).", pointer: pointer)
        case .dataCorrupted(let context):
            let pointer = jsonPointer(context.codingPath)
            return .unprocessable("The value at \(pointer) is invalid: \(context.debugDescription)", pointer: pointer)
        @unknown default:
            return .unprocessable("The request body could not be decoded.", pointer: "")
        }
    }

    /// An RFC 6901 JSON pointer for a coding path (`/entries/0/value`).
    static func jsonPointer(_ path: [any CodingKey]) -> String {
        if path.isEmpty { return "/" }
        return path.map { key in
            let component = key.intValue.map(String.init) ?? key.stringValue
            return "/" + component.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
        }.joined()
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Double.Type: "a number"
        case is [Any].Type: "an array"
        default: "\(type)"
        }
    }
}
