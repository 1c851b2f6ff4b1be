/// Writes a response's status line, header section and content (RFC 9112, sections 4 and 6).
enum ResponseSerializer {
    enum Persistence {
        case close
        /// `timeout` is the idle keep-alive timeout in whole seconds, advertised in `Keep-Alive`.
        case keepAlive(timeout: Int, http10: Bool)
    }

    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Serializes `response`. For HEAD the content is left out while `Content-Length` still gives
    /// its size (RFC 9110, section 9.3.2).
    static func serialize(_ response: HTTPResponse, isHead: Bool, persistence: Persistence, date: String) -> [UInt8] {
        var bytes: [UInt8] = []
        serialize(response, isHead: isHead, persistence: persistence, date: date, requestID: nil, into: &bytes)
        return bytes
    }

    /// Appends `response` to `bytes`, with `requestID` in `X-Request-Id` in place of any value
    /// the handler set. Writing into the connection's output buffer saves building the head as
    /// a `String` and copying it, which matters for small responses such as health checks.
    static func serialize(
        _ response: HTTPResponse,
        isHead: Bool,
        persistence: Persistence,
        date: String,
        requestID: String?,
        into bytes: inout [UInt8]
    ) {
        let hasContent = !HTTPStatus.forbidsContent(response.status)
        bytes.reserveCapacity(bytes.count + 256 + (hasContent && !isHead ? response.body.count : 0))

        append("HTTP/1.1 ", to: &bytes)
        appendDecimal(response.status, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        append(HTTPStatus.reasonPhrase(response.status), to: &bytes)
        appendLineEnd(to: &bytes)

        var hasDate = false
        for (name, value) in response.headers {
            if isServerField(name) || (requestID != nil && HTTPFields.namesMatch(name, RequestID.fieldName)) {
                continue
            }
            if HTTPFields.namesMatch(name, "Date") {
                hasDate = true
            }
            appendField(name, value, to: &bytes)
        }
        if let requestID {
            appendField(RequestID.fieldName, requestID, to: &bytes)
        }
        if !hasDate {
            appendField("Date", date, to: &bytes)
        }
        if hasContent {
            append("Content-Length: ", to: &bytes)
            appendDecimal(response.body.count, to: &bytes)
            appendLineEnd(to: &bytes)
        }
        switch persistence {
        case .close:
            append("Connection: close\r\n", to: &bytes)
        case .keepAlive(let timeout, let http10):
            if http10 {
                append("Connection: keep-alive\r\n", to: &bytes)
            }
            append("Keep-Alive: timeout=", to: &bytes)
            appendDecimal(timeout, to: &bytes)
            appendLineEnd(to: &bytes)
        }
        appendLineEnd(to: &bytes)

        if hasContent && !isHead {
            bytes.append(contentsOf: response.body)
        }
    }

    /// Fields that the server sets itself; a handler's values for them are dropped.
    private static func isServerField(_ name: String) -> Bool {
        HTTPFields.namesMatch(name, "Content-Length") || HTTPFields.namesMatch(name, "Transfer-Encoding")
            || HTTPFields.namesMatch(name, "Connection") || HTTPFields.namesMatch(name, "Keep-Alive")
    }

    /// Appends one field line. CR, LF and NUL become spaces: they would end the line early and
    /// let a handler's value inject fields of its own.
    private static func appendField(_ name: String, _ value: String, to bytes: inout [UInt8]) {
        appendSanitized(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(UInt8(ascii: " "))
        appendSanitized(value, to: &bytes)
        appendLineEnd(to: &bytes)
    }

    private static func appendSanitized(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { buffer in
            guard buffer.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                bytes.append(contentsOf: buffer)
                return
            }
            for byte in buffer {
                bytes.append(byte == 0x0D || byte == 0x0A || byte == 0 ? UInt8(ascii: " ") : byte)
            }
        }
    }

    private static func append(_ text: StaticString, to bytes: inout [UInt8]) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private static func append(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: text.utf8)
    }

    private static func appendLineEnd(to bytes: inout [UInt8]) {
        bytes.append(0x0D)
        bytes.append(0x0A)
    }

    /// `String(value)` of an `Int` fits Swift's small-string form, so this does not allocate.
    private static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: String(value).utf8)
    }
}
