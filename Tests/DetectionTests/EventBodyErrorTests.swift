import Testing

@testable import Detection

@Suite("Event body errors")
struct EventBodyErrorTests {
    @Test("missing comma position")
    func missingComma() throws {
        let error = try #require(bodyError("{\n  \"a\": 1\n  \"b\": 2\n}"))
        #expect(error.kind == .invalidJSON)
        #expect(error.message == "invalid JSON: expected ',' or '}'")
        #expect(error.byteOffset == 13)
        #expect(error.line == 3)
        #expect(error.column == 3)
    }

    @Test("missing array comma")
    func missingArrayComma() throws {
        let error = try #require(bodyError("[{} {}]"))
        #expect(error.message == "invalid JSON: expected ',' or ']'")
        #expect(error.byteOffset == 4)
        #expect(error.column == 5)
    }

    @Test("unterminated string")
    func unterminatedString() throws {
        let error = try #require(bodyError(#"{"a":"abc"#))
        #expect(error.message == "invalid JSON: unterminated string")
        #expect(error.byteOffset == 9)
    }

    @Test("truncated object")
    func truncatedObject() throws {
        let error = try #require(bodyError(#"{"a":"#))
        #expect(error.message == "invalid JSON: expected a JSON value, found the end of the input")
        #expect(error.byteOffset == 5)
    }

    @Test("trailing data after value")
    func trailingData() throws {
        let error = try #require(bodyError("{\"a\":1}\n{\"a\":2}"))
        #expect(error.message == "invalid JSON: unexpected data after the JSON value")
        #expect(error.line == 2)
        #expect(error.column == 1)
        #expect(error.byteOffset == 8)
    }

    @Test("bare word")
    func bareWord() throws {
        let error = try #require(bodyError("{\"a\": tru}"))
        #expect(error.message == "invalid JSON: invalid literal: expected 'true'")
        #expect(error.byteOffset == 9)
    }

    @Test("invalid numbers")
    func invalidNumbers() throws {
        #expect(bodyError(#"{"a":01}"#)?.message == "invalid JSON: invalid number: leading zero")
        #expect(bodyError(#"{"a":1.}"#)?.message == "invalid JSON: invalid number: expected a digit after '.'")
        #expect(bodyError(#"{"a":-}"#)?.message == "invalid JSON: invalid number: expected a digit after '-'")
        let outOfRange = try #require(bodyError(#"{"a":1e400}"#))
        #expect(outOfRange.message == "invalid JSON: number out of range: 1e400")
        #expect(outOfRange.byteOffset == 5)
        let bigInteger = try #require(bodyError(#"{"a":[1,-100000000000000000000]}"#))
        #expect(bigInteger.message == "invalid JSON: integer out of range: -100000000000000000000 does not fit in 64 bits")
        #expect(bigInteger.byteOffset == 8)
    }

    @Test("invalid escapes")
    func invalidEscapes() throws {
        #expect(bodyError(#"{"a":"\x"}"#)?.message == "invalid JSON: invalid escape sequence")
        #expect(bodyError(#"{"a":"\u12"}"#)?.message == #"invalid JSON: invalid \u escape: expected four hexadecimal digits"#)
        let lone = try #require(bodyError(#"{"a":"x\ud800y"}"#))
        #expect(lone.message == #"invalid JSON: high surrogate \uD800 is not followed by a low surrogate"#)
        #expect(lone.byteOffset == 7)
        let loneLow = try #require(bodyError(#"{"a":"\udc00"}"#))
        #expect(loneLow.message == #"invalid JSON: low surrogate \uDC00 without a high surrogate"#)
    }

    @Test("control character in string")
    func controlCharacter() throws {
        let error = try #require(bodyError("{\"a\":\"x\ty\"}"))
        #expect(error.message == "invalid JSON: control character U+0009 in a string must be escaped")
        #expect(error.byteOffset == 7)
    }

    @Test("invalid UTF-8 position")
    func invalidUTF8() throws {
        var body = Array("{\"name\":\"é".utf8)
        body += [0xFF]
        body += Array("\"}".utf8)
        let error = try #require(bodyError(body))
        #expect(error.kind == .invalidJSON)
        #expect(error.message == "invalid JSON: invalid UTF-8 byte 0xFF")
        #expect(error.byteOffset == 11)
        #expect(error.column == 11)
    }

    @Test("overlong and surrogate UTF-8")
    func overlongUTF8() throws {
        #expect(bodyError([UInt8(ascii: "\""), 0xC0, 0xAF, UInt8(ascii: "\"")])?.message == "invalid JSON: invalid UTF-8 byte 0xC0")
        #expect(
            bodyError([UInt8(ascii: "\""), 0xED, 0xA0, 0x80, UInt8(ascii: "\"")])?.message == "invalid JSON: invalid UTF-8 sequence starting with byte 0xED")
    }

    @Test("column counts characters")
    func columnCountsCharacters() throws {
        let error = try #require(bodyError(#"{"ü":"😀" "x":1}"#))
        #expect(error.message == "invalid JSON: expected ',' or '}'")
        #expect(error.column == 10)
        #expect(error.byteOffset == 13)
    }

    @Test("depth limit")
    func depthLimit() throws {
        let limits = EventDecoderLimits(maxDepth: 8)
        let deepest = String(repeating: "[", count: 7) + String(repeating: "]", count: 7)
        #expect(try decodeItems("{\"a\":\(deepest)}", limits: limits).count == 1)

        let tooDeep = String(repeating: "[", count: 8) + String(repeating: "]", count: 8)
        let error = try #require(bodyError("{\"a\":\(tooDeep)}", limits: limits))
        #expect(error.kind == .invalidJSON)
        #expect(error.message == "invalid JSON: nesting deeper than 8 arrays and objects")
        #expect(error.byteOffset == 12)
    }

    @Test("default depth limit is 128")
    func defaultDepthLimit() throws {
        let ok = "{\"a\":" + String(repeating: "[", count: 127) + String(repeating: "]", count: 127) + "}"
        #expect(try decodeItems(ok).count == 1)
        let deep = "{\"a\":" + String(repeating: "[", count: 128) + String(repeating: "]", count: 128) + "}"
        #expect(bodyError(deep)?.message == "invalid JSON: nesting deeper than 128 arrays and objects")
    }

    @Test("128 nested objects around a value")
    func nestedObjectsAtLimit() throws {
        func nested(_ levels: Int) -> String {
            String(repeating: #"{"a":"#, count: levels) + "1" + String(repeating: "}", count: levels)
        }
        #expect(try decodeItems(nested(128)).count == 1)
        #expect(try decodeItems(nested(128) + "\n" + nested(2), format: .ndjson).map(\.invalidReason) == [nil, nil])
        let error = try #require(bodyError(nested(129)))
        #expect(error.message == "invalid JSON: nesting deeper than 128 arrays and objects")
        #expect(error.limit == .maxDepth(128))
        let lines = try decodeItems(nested(129) + "\n" + nested(128), format: .ndjson)
        #expect(lines[0].invalidReason == "invalid JSON at column 641: nesting deeper than 128 arrays and objects")
        #expect(lines[1].invalidReason == nil)
    }

    @Test("depth limit on an NDJSON line")
    func depthLimitNDJSON() throws {
        let limits = EventDecoderLimits(maxDepth: 4)
        let items = try decodeItems("{\"a\":[[[[1]]]]}\n{\"a\":[[1]]}", format: .ndjson, limits: limits)
        #expect(items[0].invalidReason == "invalid JSON at column 9: nesting deeper than 4 arrays and objects")
        #expect(items[1].invalidReason == nil)
    }

    @Test("description names the position")
    func description() throws {
        let error = try #require(bodyError("[1,]"))
        #expect(error.description == "invalid JSON: expected a JSON value at line 1, column 4 (byte offset 3)")
    }
}

@Suite("JSON arrays decoded element by element")
struct ArrayElementFallbackTests {
    @Test("number out of range loses one element")
    func numberRange() throws {
        let body = #"[{"a":1}, {"n":123456789012345678901234567890}, {"b":2}]"#
        let items = try decodeItems(body)
        #expect(items.map(\.position) == [.index(0), .index(1), .index(2)])
        #expect(items[0].invalidReason == nil)
        #expect(items[1].invalidReason == "integer out of range: 123456789012345678901234567890 does not fit in 64 bits at byte offset 15 of the body")
        #expect(items[2].invalidReason == nil)
        #expect(items[2].sourceJSON == #"{"b":2}"#)
    }

    @Test("utf8, depth and string length")
    func otherLimits() throws {
        var body = Array(#"[{"a":"x"},{"u":""#.utf8) + [0xFF] + Array(#""},"#.utf8)
        body += Array(("{\"d\":" + String(repeating: "[", count: 7) + String(repeating: "]", count: 7) + "}").utf8)
        body += Array(#",{"s":"0123456789"}]"#.utf8)
        let limits = EventDecoderLimits(maxDepth: 8, maxStringBytes: 8)
        let items = try decodeItems(body, limits: limits)
        #expect(items.count == 4)
        #expect(items[0].invalidReason == nil)
        #expect(items[1].invalidReason?.hasPrefix("invalid UTF-8 byte 0xFF at byte offset 17") == true)
        #expect(items[2].invalidReason?.hasPrefix("nesting deeper than 8 arrays and objects (counted from the body's array) at byte offset") == true)
        #expect(items[3].invalidReason?.hasPrefix("string longer than 8 bytes") == true)
    }

    @Test("syntax errors still fail the body")
    func syntaxStillFails() throws {
        for body in [
            #"[{"n":1e999} {"a":1}]"#, #"[{"n":1e999},]"#, #"[{"n":1e999},{"a":}]"#, #"[{"n":1e999}"#, #"{"n":1e999}"#,
            #"{"hits":{"hits":[{"_source":{"n":1e999}}]}}"#,
        ] {
            let error = try #require(bodyError(body), "\(body)")
            #expect(error.kind == .invalidJSON, "\(body)")
        }
    }

    @Test("element count limit still applies")
    func countLimit() throws {
        let body = #"[{"a":1},{"n":1e999},{"b":2}]"#
        let error = try #require(bodyError(body, limits: EventDecoderLimits(maxEvents: 2)))
        #expect(error.kind == .tooManyEvents(limit: 2))
    }
}
