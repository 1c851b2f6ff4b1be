import HTTPServer

/// The 401, 403 and 429 responses of the authentication check, as RFC 9457 problem details.
/// None of them quotes the `Authorization` field.
enum AuthenticationProblem {
    static let realm = "detectd"

    /// 401 for a request without a key. The challenges name both schemes (RFC 9110,
    /// section 11.6.1).
    static func missingKey() -> HTTPResponse {
        var response = HTTPResponse.problem(
            status: 401,
            detail: "This request needs an API key: send 'Authorization: ApiKey <secret>' or 'Authorization: Bearer <secret>'."
        )
        response.headers.append("WWW-Authenticate", "ApiKey realm=\"\(realm)\"")
        response.headers.append("WWW-Authenticate", "Bearer realm=\"\(realm)\"")
        return response
    }

    /// 401 for a wrong key or a malformed `Authorization` field; the Bearer challenge carries
    /// RFC 6750's `invalid_token` error code.
    static func invalidKey(reason: String) -> HTTPResponse {
        var response = HTTPResponse.problem(
            status: 401,
            detail: "Authentication failed: \(reason). Send 'Authorization: ApiKey <secret>' or 'Authorization: Bearer <secret>' with a key from the keys file."
        )
        response.headers.append("WWW-Authenticate", "ApiKey realm=\"\(realm)\"")
        response.headers.append("WWW-Authenticate", "Bearer realm=\"\(realm)\", error=\"invalid_token\"")
        return response
    }

    /// 403 for a valid key without the scope the route needs.
    static func missingScope(_ scope: AccessScope, key: String, route: String) -> HTTPResponse {
        HTTPResponse.problem(
            status: 403,
            detail: "The API key '\(key)' lacks the scope '\(scope.rawValue)' that \(route) needs; use a key with that scope.",
            extra: ["missing_scope": .string(scope.rawValue)]
        )
    }

    /// 429 for a client that presented too many wrong keys. `Retry-After` is in whole seconds,
    /// rounded up (RFC 9110, section 10.2.3).
    static func tooManyFailures(retryAfter delay: Duration) -> HTTPResponse {
        let (seconds, attoseconds) = delay.components
        let wholeSeconds = max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
        var response = HTTPResponse.problem(
            status: 429,
            detail: "Too many failed authentications from this address; retry after \(wholeSeconds) seconds.",
            extra: ["retry_after": .integer(wholeSeconds)]
        )
        response.headers.set("Retry-After", String(wholeSeconds))
        return response
    }
}
