/// The frozen routing table that the event loops share.
package struct RouteTable: Sendable {
    enum Match {
        /// `pattern` is the route as registered, such as "/alerts/{id}".
        case found(RouteHandler, parameters: [String: String], pattern: String)
        case notFound
        /// The path exists but not for this method; `allowed` is the value of the `Allow` field.
        case methodNotAllowed(allowed: [HTTPMethod])
    }

    let root: RouteNode

    package init(_ router: Router) {
        self.root = router.root
    }

    /// Splits a path into its segments: "/" has one empty segment and "/a/" has "a" and "".
    static func segments(ofPath path: String) -> [String] {
        path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    }

    /// Finds the route for `method` and the percent-decoded `segments` of a path. A method that
    /// no route of the path has, `TRACE` and unknown methods included, is not allowed (405) rather
    /// than not implemented (501), so that the client learns the path's `Allow` list.
    func match(_ method: HTTPMethod, segments: [String]) -> Match {
        var parameters: [String: String] = [:]
        guard let node = Self.find(root, segments: segments[...], parameters: &parameters) else {
            return .notFound
        }

        if let handler = node.handlers[method] ?? (method == .HEAD ? node.handlers[.GET] : nil) {
            return .found(handler, parameters: parameters, pattern: node.pattern ?? "")
        }
        return .methodNotAllowed(allowed: Self.allowedMethods(node))
    }

    private static func find(
        _ node: RouteNode,
        segments: ArraySlice<String>,
        parameters: inout [String: String]
    ) -> RouteNode? {
        guard let segment = segments.first else {
            return node.handlers.isEmpty ? nil : node
        }

        let rest = segments.dropFirst()
        if let literal = node.literals[segment], let found = find(literal, segments: rest, parameters: &parameters) {
            return found
        }
        // A parameter matches a non-empty segment only, so "/alerts/" is not "/alerts/{id}".
        if !segment.isEmpty, let name = node.parameterName, let child = node.parameterChild.first {
            var attempt = parameters
            attempt[name] = segment
            if let found = find(child, segments: rest, parameters: &attempt) {
                parameters = attempt
                return found
            }
        }
        return nil
    }

    private static func allowedMethods(_ node: RouteNode) -> [HTTPMethod] {
        var methods = Set(node.handlers.keys)
        if methods.contains(.GET) {
            methods.insert(.HEAD)
        }
        return methods.sorted { $0.allowOrder < $1.allowOrder }
    }
}
