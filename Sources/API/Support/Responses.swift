import Detection
import HTTPServer

extension HTTPResponse {
    /// A JSON response whose body is `text`, which must already be valid JSON.
    static func json(status: Int = 200, text: String) -> HTTPResponse {
        var response = HTTPResponse(status: status, body: Array(text.utf8))
        response.headers.set("Content-Type", "application/json")
        return response
    }

    static func json(status: Int = 200, _ build: (inout JSONWriter) -> Void) -> HTTPResponse {
        var json = JSONWriter()
        build(&json)
        return .json(status: status, text: json.text)
    }
}

/// Appends the members of the JSON object `document` to the JSON object `head`, so that a
/// stored document is returned with a few live fields in front without being parsed again.
/// Both must be JSON objects; `head`'s members come first.
func appendingMembers(of document: String, to head: String) -> String {
    let members = document.drop(while: { $0 != "{" }).dropFirst()
    guard members.contains(where: { !$0.isWhitespace && $0 != "}" }) else { return head }
    return String(head.dropLast()) + "," + members
}
