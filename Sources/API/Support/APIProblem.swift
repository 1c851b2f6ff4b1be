import Detection
import HTTPServer

/// An error that the API returns to the client as an RFC 9457 problem details body.
///
/// `members` are extension members such as `parameter`, `pointer`, `line` or `byte_offset`,
/// already encoded as JSON values.
struct APIProblem: Error {
    let status: Int
    let title: String
    let detail: String
    var members: [(name: String, json: String)] = []

    static func badRequest(_ detail: String, _ members: [(name: String, json: String)] = []) -> APIProblem {
        APIProblem(status: 400, title: "Bad Request", detail: detail, members: members)
    }

    static func invalidParameter(_ name: String, value: String, expected: String) -> APIProblem {
        .badRequest(
            "Query parameter '\(name)' has the invalid value '\(APIProblem.excerpt(value))': \(expected).",
            [("parameter", JSONWriter.quoted(name))]
        )
    }

    static func notFound(_ detail: String) -> APIProblem {
        APIProblem(status: 404, title: "Not Found", detail: detail)
    }

    static func unprocessable(_ detail: String, pointer: String) -> APIProblem {
        APIProblem(status: 422, title: "Unprocessable Content", detail: detail, members: [("pointer", JSONWriter.quoted(pointer))])
    }

    /// Returns the 415 problem for a Content-Type the route does not read. `hint` is a sentence on
    /// how to send the body instead.
    static func unsupportedMediaType(_ contentType: String, supported: [String], hint: String? = nil) -> APIProblem {
        var detail = "Content-Type '\(APIProblem.excerpt(contentType))' is not supported here; send one of: \(supported.joined(separator: ", "))."
        if let hint {
            detail += " " + hint
        }
        return APIProblem(
            status: 415,
            title: "Unsupported Media Type",
            detail: detail,
            members: [("supported", "[" + supported.map(JSONWriter.quoted).joined(separator: ",") + "]")]
        )
    }

    /// A body that is not JSON, with the syntax error's position and what the route expects.
    static func invalidJSON(_ error: EventBodyError, expected: String) -> APIProblem {
        .badRequest(
            "The request body could not be read: \(error.message). \(expected)",
            [("byte_offset", "\(error.byteOffset)"), ("line", "\(error.line)"), ("column", "\(error.column)")]
        )
    }

    static let internalError = APIProblem(
        status: 500,
        title: "Internal Server Error",
        detail: "The request failed because of an internal error; the server log has the details."
    )

    static let unavailable = APIProblem(
        status: 503,
        title: "Service Unavailable",
        detail: "The database is not available; try again later."
    )

    var response: HTTPResponse {
        var json = JSONWriter()
        json.beginObject()
        json.key("type"); json.string("about:blank")
        json.key("title"); json.string(title)
        json.key("status"); json.number(status)
        json.key("detail"); json.string(detail)
        for member in members {
            json.key(member.name); json.raw(member.json)
        }
        json.endObject()
        var response = HTTPResponse(status: status, body: Array(json.text.utf8))
        response.headers.set("Content-Type", "application/problem+json")
        return response
    }

    /// Cuts echoed client input to a short prefix so that a problem body stays small.
    static func excerpt(_ value: String, limit: Int = 80) -> String {
        value.count <= limit ? value : String(value.prefix(limit)) + "…"
    }
}
