/// Writes a response's status line, header section and content (RFC 9112, sections 4 and 6).
enum ResponseSerializer {
    enum Persistence {
        case close
        /// `timeout` is the idle keep-alive timeout in whole seconds, advertised in `Keep-Alive`.
        case keepAlive(timeout: Int, http10: Bool)
    }

    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Fields that the server sets itself; a handler's values for them are dropped.
    private static let serverFields: Set<String> = ["content-length", "transfer-encoding", "connection", "keep-alive"]

    /// Serializes `response`. For HEAD the content is left out while `Content-Length` still gives
    /// its size (RFC 9110, section 9.3.2).
    static func serialize(_ response: HTTPResponse, isHead: Bool, persistence: Persistence, date: String) -> [UInt8] {
        var head = "HTTP/1.1 \(response.status) \(HTTPStatus.reasonPhrase(response.status))\r\n"
        for (name, value) in response.headers where !serverFields.contains(name.lowercased()) {
            head += "\(sanitize(name)): \(sanitize(value))\r\n"
        }
        if !response.headers.contains("Date") {
            head += "Date: \(date)\r\n"
        }

        let hasContent = !HTTPStatus.forbidsContent(response.status)
        if hasContent {
            head += "Content-Length: \(response.body.count)\r\n"
        }
        switch persistence {
        case .close:
            head += "Connection: close\r\n"
        case .keepAlive(let timeout, let http10):
            if http10 {
                head += "Connection: keep-alive\r\n"
            }
            head += "Keep-Alive: timeout=\(timeout)\r\n"
        }
        head += "\r\n"

        var bytes = Array(head.utf8)
        if hasContent && !isHead {
            bytes.append(contentsOf: response.body)
        }
        return bytes
    }

    /// Replaces CR, LF and NUL, which would end the field line early and let a handler's value
    /// inject fields of its own.
    private static func sanitize(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
            return text
        }
        return String(text.map { $0 == "\r" || $0 == "\n" || $0 == "\0" || $0 == "\r\n" ? " " : $0 })
    }
}
