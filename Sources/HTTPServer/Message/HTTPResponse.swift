import Logging

/// A response from a handler. The server adds `Date`, `Content-Length` and `Connection`, so a
/// handler sets only what is specific to its resource.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPFields
    public var body: [UInt8]

    public init(status: Int, headers: HTTPFields = .init(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response with `text` as its `application/json` body.
    public static func json(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: Array(text.utf8))
    }

    /// An RFC 9457 problem details response (`application/problem+json`) with type "about:blank".
    ///
    /// - Parameters:
    ///   - title: defaults to the status code's reason phrase, as RFC 9457 asks for "about:blank".
    ///   - detail: what was wrong with this request, naming the offending value.
    ///   - extra: further members, such as the offending parameter or byte offset; they cannot
    ///     replace the standard members.
    public static func problem(
        status: Int,
        title: String? = nil,
        detail: String,
        extra: [String: ProblemValue] = [:]
    ) -> HTTPResponse {
        var members: [(name: String, json: String)] = [
            ("type", Logger.jsonString("about:blank")),
            ("title", Logger.jsonString(title ?? HTTPStatus.reasonPhrase(status))),
            ("status", String(status)),
            ("detail", Logger.jsonString(detail)),
        ]
        let standard: Set = ["type", "title", "status", "detail", "instance"]
        for name in extra.keys.sorted() where !standard.contains(name) {
            members.append((name, extra[name]!.jsonText))
        }
        let text = "{" + members.map { "\(Logger.jsonString($0.name)):\($0.json)" }.joined(separator: ",") + "}"
        return HTTPResponse(
            status: status,
            headers: ["Content-Type": "application/problem+json"],
            body: Array(text.utf8)
        )
    }
}

/// A value of an extension member in a problem details body.
public enum ProblemValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral
{
    case string(String)
    case integer(Int)
    case boolean(Bool)
    /// JSON text inserted as it is; the caller makes sure it is valid JSON.
    case json(String)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }

    var jsonText: String {
        switch self {
        case .string(let text): Logger.jsonString(text)
        case .integer(let number): String(number)
        case .boolean(let flag): flag ? "true" : "false"
        case .json(let text): text
        }
    }
}
