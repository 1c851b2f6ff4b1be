import HTTPServer

/// The id that ties a request's log lines and its response together (`X-Request-Id`).
///
/// TODO: use the id that the HTTP server assigns once it assigns one, so that requests it
/// answers itself (400, 413, 404) carry an id too.
enum RequestID {
    static let headerName = "X-Request-Id"

    /// The client's `X-Request-Id` when it is 1 to 128 visible ASCII characters, else a new
    /// random id of 32 hex digits.
    static func take(from headers: HTTPFields) -> String {
        if let given = headers[headerName], isAcceptable(given) {
            return given
        }
        return generate()
    }

    static func isAcceptable(_ value: String) -> Bool {
        (1...128).contains(value.utf8.count) && value.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return hex(high) + hex(low)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
