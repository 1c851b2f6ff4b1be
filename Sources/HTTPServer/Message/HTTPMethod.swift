/// A request method token (RFC 9110, section 9). Methods are case-sensitive, so `get` is not `GET`.
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static let GET = HTTPMethod("GET")
    public static let HEAD = HTTPMethod("HEAD")
    public static let POST = HTTPMethod("POST")
    public static let PUT = HTTPMethod("PUT")
    public static let PATCH = HTTPMethod("PATCH")
    public static let DELETE = HTTPMethod("DELETE")
    public static let OPTIONS = HTTPMethod("OPTIONS")
    public static let TRACE = HTTPMethod("TRACE")
    public static let CONNECT = HTTPMethod("CONNECT")

    /// Methods whose requests carry content, so a request without a length gets 411.
    var requiresContentLength: Bool {
        self == .POST || self == .PUT || self == .PATCH
    }

    /// Position in an `Allow` field value: the common methods in a fixed order, then the rest by name.
    var allowOrder: (Int, String) {
        let known: [HTTPMethod] = [.GET, .HEAD, .POST, .PUT, .PATCH, .DELETE, .OPTIONS, .TRACE, .CONNECT]
        if let index = known.firstIndex(of: self) {
            return (index, "")
        }
        return (known.count, rawValue)
    }
}
