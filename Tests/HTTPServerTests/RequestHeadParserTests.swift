import Testing

@testable import HTTPServer

@Suite("Request head parser")
struct RequestHeadParserTests {
    static let limits = RequestHeadParser.Limits(maxRequestTargetBytes: 64, maxHeaderBytes: 128, maxHeaderCount: 4)

    static func parse(_ text: String) throws(HTTPRequestError) -> RequestHead? {
        var parser = RequestHeadParser(limits: limits)
        return try parser.parse(Array(text.utf8)[...]).head
    }

    static func error(_ text: String) -> HTTPRequestError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test("parses request line and fields")
    func parsesHead() throws {
        let head = try #require(try Self.parse("PATCH /alerts/1?x=y HTTP/1.1\r\nHost: a\r\nX-Tag:  v1 \r\nx-tag: v2\r\n\r\n"))
        #expect(head.method == .PATCH)
        #expect(head.target == "/alerts/1?x=y")
        #expect(head.version == .http11)
        #expect(head.fields["X-TAG"] == "v1")
        #expect(head.fields.values("x-tag") == ["v1", "v2"])
    }

    @Test("returns consumed count before body")
    func consumedCount() throws {
        var parser = RequestHeadParser(limits: Self.limits)
        let bytes = Array("GET / HTTP/1.1\r\nHost: a\r\n\r\nBODY".utf8)
        let (head, consumed) = try parser.parse(bytes[...])
        #expect(head != nil)
        #expect(consumed == bytes.count - 4)
    }

    @Test("skips leading empty lines")
    func leadingEmptyLines() throws {
        let head = try Self.parse("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(head?.target == "/")
    }

    @Test("HTTP/1.2 is read as 1.1")
    func laterMinorVersion() throws {
        let head = try Self.parse("GET / HTTP/1.2\r\nHost: a\r\n\r\n")
        #expect(head?.version.description == "HTTP/1.1")
    }

    @Test("errors carry kind and offset")
    func errors() {
        let cases: [(String, HTTPRequestError.Kind, Int?)] = [
            ("GET / HTTP/1.1\nHost: a\r\n\r\n", .bareLineFeed, 14),
            ("GET / HTTP/1.1\r\nHost: a\r\n X: b\r\n\r\n", .obsoleteLineFolding, 25),
            ("GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", .whitespaceBeforeColon("Host"), 20),
            ("GET / HTTP/1.1\r\nHost: a\u{7F}\r\n\r\n", .invalidFieldValue(name: "Host"), 23),
            ("GET / HTTP/1.1\r\nNoColon\r\n\r\n", .invalidFieldName("NoColon"), 16),
            ("GET / HTTP/1.1\r\n: empty\r\n\r\n", .invalidFieldName(""), 16),
            ("GET / HTTP/1.1 extra\r\n\r\n", .invalidRequestLine("GET / HTTP/1.1 extra"), 0),
            ("G(T / HTTP/1.1\r\n\r\n", .invalidMethod("G(T"), 0),
            ("GET / HTTP/3.0\r\n\r\n", .unsupportedVersion("HTTP/3.0"), 6),
            ("GET / HTTP/1.10\r\n\r\n", .invalidVersion("HTTP/1.10"), 6),
            ("GET /a\u{1}b HTTP/1.1\r\n\r\n", .invalidRequestTarget("/a\u{1}b"), 6),
            ("GET / HTTP/1.1\r\nA: 1\rB\r\n\r\n", .bareCarriageReturn, 20),
        ]
        for (text, kind, offset) in cases {
            let error = Self.error(text)
            #expect(error?.kind == kind, "\(text.debugDescription)")
            #expect(error?.offset == offset, "\(text.debugDescription)")
        }
    }

    @Test("limits give 414 and 431")
    func limits() {
        let longTarget = Self.error("GET /\(String(repeating: "a", count: 64)) HTTP/1.1\r\n\r\n")
        #expect(longTarget?.status == 414)

        let bigSection = Self.error("GET / HTTP/1.1\r\nX: \(String(repeating: "v", count: 130))\r\n\r\n")
        #expect(bigSection?.kind == .headerSectionTooLarge(limit: 128))
        #expect(bigSection?.status == 431)

        let manyFields = Self.error("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n")
        #expect(manyFields?.kind == .tooManyFields(limit: 4))
    }

    @Test("partial line memory is bounded")
    func partialLineBounded() {
        var parser = RequestHeadParser(limits: Self.limits)
        var thrown: HTTPRequestError?
        do {
            _ = try parser.parse(Array("GET / HTTP/1.1\r\nHost: a\r\nX: ".utf8)[...])
            for _ in 0..<200 {
                _ = try parser.parse(Array("v".utf8)[...])
            }
        } catch {
            thrown = error
        }
        #expect(thrown?.status == 431)
    }

    @Test("long request line ignores split")
    func longRequestLineSplit() {
        // The first space comes after the line limit (64 + 64 bytes), so the line is malformed.
        let line = "GET" + String(repeating: "x", count: 200) + " /a HTTP/1.1\r\nHost: a\r\n\r\n"
        var whole = RequestHeadParser(limits: Self.limits)
        var split = RequestHeadParser(limits: Self.limits)
        let bytes = Array(line.utf8)
        var wholeError: HTTPRequestError?
        var splitError: HTTPRequestError?
        do { _ = try whole.parse(bytes[...]) } catch { wholeError = error }
        do {
            _ = try split.parse(bytes[..<150])
            _ = try split.parse(bytes[150...])
        } catch {
            splitError = error
        }
        #expect(wholeError?.status == 400)
        #expect(wholeError == splitError)
    }
}
