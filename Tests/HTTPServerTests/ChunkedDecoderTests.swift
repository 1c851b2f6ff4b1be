import Testing

@testable import HTTPServer

@Suite("Chunked decoder")
struct ChunkedDecoderTests {
    static func decode(_ chunks: [String], maxBodyBytes: Int = 1024) throws(HTTPRequestError) -> (body: String, consumed: Int, complete: Bool) {
        var decoder = ChunkedDecoder(maxBodyBytes: maxBodyBytes, maxTrailerBytes: 64)
        var consumed = 0
        for chunk in chunks {
            consumed += try decoder.decode(Array(chunk.utf8)[...])
        }
        return (String(decoding: decoder.body, as: UTF8.self), consumed, decoder.isComplete)
    }

    @Test("decodes chunks and stops at end")
    func decodes() throws {
        let result = try Self.decode(["4\r\nWiki\r\n6;x=1\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nExpires: never\r\n\r\nNEXT"])
        #expect(result.body == "Wikipedia in \r\n\r\nchunks.")
        #expect(result.complete)
        #expect(result.consumed == 64)
    }

    @Test("byte-by-byte input")
    func byteByByte() throws {
        let text = "3\r\nabc\r\n1A\r\n\(String(repeating: "z", count: 26))\r\n0\r\n\r\n"
        let result = try Self.decode(text.map { String($0) })
        #expect(result.body == "abc" + String(repeating: "z", count: 26))
        #expect(result.complete)
    }

    @Test("incomplete body is not complete")
    func incomplete() throws {
        let result = try Self.decode(["5\r\nhel"])
        #expect(!result.complete)
        #expect(result.body == "hel")
    }

    @Test("size overflow rejected")
    func overflow() {
        #expect(throws: HTTPRequestError(.chunkSizeTooLarge("80000000000000000"), at: 0)) {
            _ = try Self.decode(["80000000000000000\r\n"])
        }
    }

    @Test("body limit rejected")
    func limit() {
        #expect(throws: HTTPRequestError(.contentTooLarge(limit: 8))) {
            _ = try Self.decode(["5\r\nhello\r\n5\r\n"], maxBodyBytes: 8)
        }
    }

    @Test("missing CRLF after data rejected")
    func missingTerminator() {
        #expect(throws: HTTPRequestError(.missingChunkTerminator, at: 4)) {
            _ = try Self.decode(["1\r\naXY"])
        }
    }

    @Test("long line error ignores split")
    func longLineSplit() {
        let line = "1;" + String(repeating: "e", count: ChunkedDecoder.maxLineBytes) + "\r\n"
        var errors: [HTTPRequestError] = []
        for chunks in [[line], [String(line.prefix(ChunkedDecoder.maxLineBytes + 1)), String(line.dropFirst(ChunkedDecoder.maxLineBytes + 1))]] {
            do {
                _ = try Self.decode(["2\r\nab\r\n"] + chunks)
            } catch {
                errors.append(error)
            }
        }
        #expect(errors.count == 2)
        #expect(errors.first == HTTPRequestError(.chunkLineTooLong(limit: ChunkedDecoder.maxLineBytes), at: 7))
        #expect(errors.first == errors.last)
    }
}
