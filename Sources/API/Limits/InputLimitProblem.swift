import Detection

extension APIProblem {
    /// A 400 for a body past an input limit (nesting depth, string length, event count, UTF-8,
    /// number range). Besides the position it names the limit in `limit` and, where the limit
    /// is a number, gives it in `max`, so that a client can tell it from a syntax error.
    static func inputLimitExceeded(_ error: EventBodyError, limit: InputLimit) -> APIProblem {
        var members: [(name: String, json: String)] = [("limit", JSONWriter.quoted(limit.name))]
        if let value = limit.value {
            members.append(("max", "\(value)"))
        }
        members += [
            ("byte_offset", "\(error.byteOffset)"),
            ("line", "\(error.line)"),
            ("column", "\(error.column)"),
        ]
        return .badRequest(
            "The request body is rejected by the input limit \(limit.name): \(error.message) (line \(error.line), column \(error.column)).", members)
    }
}
