/// The path of a request target (RFC 9112, section 3.2): origin-form "/path?query", absolute-form
/// "http://host/path?query", or the asterisk-form "*" of a server-wide OPTIONS request.
struct RequestTarget: Equatable {
    /// The percent-decoded path.
    var path: String
    /// The path's percent-decoded segments, decoded one by one so that "%2F" stays inside its
    /// segment.
    var segments: [String]

    static func parse(_ target: String, method: HTTPMethod) throws(HTTPRequestError) -> RequestTarget {
        if target == "*" && method == .OPTIONS {
            return RequestTarget(path: "*", segments: [])
        }

        var rawPath = Substring(target)
        if let queryStart = rawPath.firstIndex(of: "?") {
            rawPath = rawPath[..<queryStart]
        }
        if !rawPath.hasPrefix("/") {
            // Absolute-form: the path starts after "scheme://authority".
            let lowered = rawPath.lowercased()
            guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"),
                let schemeEnd = rawPath.range(of: "://")
            else {
                throw HTTPRequestError(.invalidRequestTarget(target))
            }
            let authorityAndPath = rawPath[schemeEnd.upperBound...]
            rawPath = authorityAndPath.firstIndex(of: "/").map { authorityAndPath[$0...] } ?? "/"
        }
        if rawPath.utf8.contains(UInt8(ascii: "#")) {
            throw HTTPRequestError(.invalidRequestTarget(target))
        }

        // Most paths have nothing to decode; they are their own decoded form.
        if !rawPath.utf8.contains(UInt8(ascii: "%")) {
            let segments = rawPath.utf8.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map {
                String(Substring($0))
            }
            return RequestTarget(path: String(rawPath), segments: segments)
        }

        var segments: [String] = []
        for rawSegment in rawPath.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let segment = PercentDecoding.decode(rawSegment) else {
                throw HTTPRequestError(.invalidRequestTarget(target))
            }
            segments.append(segment)
        }
        return RequestTarget(path: "/" + segments.joined(separator: "/"), segments: segments)
    }
}
