/// The delimiting of a request's body and the connection's persistence, decided from the head
/// alone (RFC 9112, sections 6.1, 6.3 and 9.3).
struct MessageFraming: Equatable {
    enum BodyLength: Equatable {
        case none
        case fixed(Int)
        case chunked
    }

    var bodyLength: BodyLength
    /// Whether the connection stays open after the response (RFC 9112, section 9.3).
    var keepAlive: Bool
    /// Whether the client waits for `100 Continue` before sending the body (RFC 9110, section 10.1.1).
    var expectsContinue: Bool
    /// The content codings to undo, in the order they were applied (RFC 9110, section 8.4).
    var contentCodings: [ContentCoding]

    /// Decides the framing, rejecting what request smuggling relies on: both `Content-Length` and
    /// `Transfer-Encoding`, differing lengths, and a transfer coding list that does not end in a
    /// single "chunked".
    static func analyze(_ head: RequestHead, maxBodyBytes: Int) throws(HTTPRequestError) -> MessageFraming {
        let fields = head.fields
        let hosts = fields.values("Host")
        if head.version.minor >= 1 && hosts.isEmpty {
            throw HTTPRequestError(.missingHost)
        }
        if hosts.count > 1 {
            throw HTTPRequestError(.multipleHosts)
        }
        if let host = hosts.first, !HostField.isValid(host) {
            throw HTTPRequestError(.invalidHost(host))
        }

        let bodyLength = try analyzeBodyLength(head)
        if case .fixed(let length) = bodyLength, length > maxBodyBytes {
            throw HTTPRequestError(.contentTooLarge(limit: maxBodyBytes))
        }

        let connectionOptions = Set(fields.listElements("Connection").map { $0.lowercased() })
        let keepAlive =
            head.version.minor >= 1
            ? !connectionOptions.contains("close")
            : connectionOptions.contains("keep-alive") && !connectionOptions.contains("close")

        return MessageFraming(
            bodyLength: bodyLength,
            keepAlive: keepAlive,
            expectsContinue: try analyzeExpectation(head),
            contentCodings: try analyzeContentCodings(fields)
        )
    }

    /// Applies the message body length rules of RFC 9112, section 6.3.
    static func analyzeBodyLength(_ head: RequestHead) throws(HTTPRequestError) -> BodyLength {
        let fields = head.fields
        let transferCodings = fields.listElements("Transfer-Encoding")
        let lengths = fields.values("Content-Length")

        if fields.contains("Transfer-Encoding") {
            // Rule 3: a request with both is an attempt at smuggling or a broken intermediary.
            if !lengths.isEmpty {
                throw HTTPRequestError(.contentLengthWithTransferEncoding)
            }
            // Section 6.1: HTTP/1.0 has no transfer codings, so the framing cannot be trusted.
            if head.version.minor == 0 {
                throw HTTPRequestError(.transferEncodingInHTTP10)
            }
            let value = fields.values("Transfer-Encoding").joined(separator: ", ")
            let chunkedCount = transferCodings.filter { $0.lowercased() == "chunked" }.count
            guard transferCodings.last?.lowercased() == "chunked", chunkedCount == 1 else {
                throw HTTPRequestError(.chunkedNotFinal(value))
            }
            guard transferCodings.count == 1 else {
                throw HTTPRequestError(.unsupportedTransferCoding(value))
            }
            return .chunked
        }

        guard !lengths.isEmpty else {
            if head.method.requiresContentLength {
                throw HTTPRequestError(.lengthRequired(head.method))
            }
            return .none
        }

        // Rule 5: a list of identical values, such as "12, 12", counts as one.
        var length: Int?
        for element in lengths.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
            let text = element.trimmingHTTPWhitespace()
            guard let parsed = parseDecimal(text) else {
                throw HTTPRequestError(.invalidContentLength(text))
            }
            if let length, length != parsed {
                throw HTTPRequestError(.conflictingContentLengths(lengths.joined(separator: ", ")))
            }
            length = parsed
        }
        return length == 0 ? .none : .fixed(length!)
    }

    /// Parses `1*DIGIT` without a sign, prefix or overflow.
    static func parseDecimal(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        return Int(text, radix: 10)
    }

    /// Returns whether the request expects 100-continue; other expectations get 417
    /// (RFC 9110, section 10.1.1). An HTTP/1.0 client cannot understand 100 Continue, so its
    /// expectation is ignored.
    static func analyzeExpectation(_ head: RequestHead) throws(HTTPRequestError) -> Bool {
        let expectations = head.fields.listElements("Expect")
        var expectsContinue = false
        for expectation in expectations {
            guard expectation.lowercased() == "100-continue" else {
                throw HTTPRequestError(.unsupportedExpectation(expectation))
            }
            expectsContinue = true
        }
        return expectsContinue && head.version.minor >= 1
    }

    static func analyzeContentCodings(_ fields: HTTPFields) throws(HTTPRequestError) -> [ContentCoding] {
        var codings: [ContentCoding] = []
        for name in fields.listElements("Content-Encoding") {
            guard let coding = ContentCoding(name: name) else {
                throw HTTPRequestError(.unsupportedContentCoding(name))
            }
            if coding != .identity {
                codings.append(coding)
            }
        }
        return codings
    }
}
