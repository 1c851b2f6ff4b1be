import Detection
import HTTPServer

extension DetectionService {
    /// Rejects query parameters the route does not know, so that a misspelt filter such as
    /// `host_name` is reported instead of silently returning everything.
    func rejectUnknownParameters(_ request: HTTPRequest, allowed: Set<String>) throws {
        for item in request.queryItems where !allowed.contains(item.name) {
            let known = allowed.isEmpty ? "this route takes no query parameters" : "known parameters: \(allowed.sorted().joined(separator: ", "))"
            throw APIProblem.badRequest(
                "Unknown query parameter '\(APIProblem.excerpt(item.name))'; \(known).",
                [("parameter", JSONWriter.quoted(APIProblem.excerpt(item.name)))]
            )
        }
    }

    func booleanParameter(_ name: String, in request: HTTPRequest) throws -> Bool? {
        guard let value = try singleParameter(name, in: request) else { return nil }
        switch value.lowercased() {
        case "true", "1", "": return true
        case "false", "0": return false
        default: throw APIProblem.invalidParameter(name, value: value, expected: "use true or false")
        }
    }

    func integerParameter(_ name: String, in request: HTTPRequest, range: ClosedRange<Int>) throws -> Int? {
        guard let value = try singleParameter(name, in: request) else { return nil }
        guard value.allSatisfy({ $0.isASCII && $0.isNumber }), value.count <= 9, let number = Int(value), range.contains(number) else {
            throw APIProblem.invalidParameter(name, value: value, expected: "use a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func singleParameter(_ name: String, in request: HTTPRequest) throws -> String? {
        let values = request.queryValues(name)
        guard values.count <= 1 else {
            throw APIProblem.badRequest("Query parameter '\(name)' is given \(values.count) times; give it once.", [("parameter", JSONWriter.quoted(name))])
        }
        return values.first
    }
}
