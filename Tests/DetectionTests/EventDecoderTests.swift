import Foundation
import Testing

@testable import Detection

@Suite("Event decoder")
struct EventDecoderTests {
    @Test("every corpus event decodes")
    func corpusDecodes() throws {
        var total = 0
        for file in Corpus.eventFiles {
            let bytes = [UInt8](try Data(contentsOf: file))
            let lineCount = String(decoding: bytes, as: UTF8.self).split(separator: "\n").count
            let items = try decodeItems(bytes, format: .ndjson)
            #expect(items.count == lineCount, "\(file.lastPathComponent)")
            #expect(items.allSatisfy { $0.invalidReason == nil }, "\(file.lastPathComponent)")
            #expect(items.map(\.position) == (1...lineCount).map { .line($0) }, "\(file.lastPathComponent)")
            total += items.count
        }
        #expect(total == 57)
    }

    @Test("corpus event has expected fields")
    func corpusFields() throws {
        let line = try Corpus.line(13, of: "eas_panache_edr_testing_rec4945-4966.elastic_agent.ndjson")
        #expect(try fieldValues("registry.path", in: line) == [.string(#"HKLM\System\CurrentControlSet\Services\PortProxy\v4tov4\tcp\0.0.0.0/8080"#)])
        #expect(try fieldValues("event.category", in: line) == [.string("configuration"), .string("registry")])
        #expect(try fieldValues("registry.data.strings", in: line) == [.string("192.168.1.1/8000")])
        #expect(try fieldValues("process.pid", in: line) == [.integer(4028)])
    }

    @Test("corpus file as a JSON array")
    func corpusAsArray() throws {
        let text = String(decoding: try Corpus.bytes("eas_registry_nearmiss.winlogbeat.ndjson"), as: UTF8.self)
        let lines = text.split(separator: "\n")
        let items = try decodeItems("[" + lines.joined(separator: ",") + "]")
        #expect(items.count == 22)
        #expect(items.map(\.position) == (0..<22).map { .index($0) })
        #expect(items.allSatisfy { $0.invalidReason == nil })
    }

    @Test("single event object")
    func singleObject() throws {
        let items = try decodeItems(#" {"event":{"id":"a"}} "#)
        #expect(items.count == 1)
        #expect(items.first?.position == .document)
        #expect(items.first?.sourceJSON == #"{"event":{"id":"a"}}"#)
        #expect(items.first?.searchHitIndex == nil)
    }

    @Test("array with non-object elements")
    func arrayWithInvalidElements() throws {
        let items = try decodeItems(#"[{"a":1}, 2, "x", null, [], {"b":2}]"#)
        #expect(items.count == 6)
        #expect(items[0].invalidReason == nil)
        #expect(items[1].position == .index(1))
        #expect(items[1].invalidReason == "expected an event object, found a number")
        #expect(items[2].invalidReason == "expected an event object, found a string")
        #expect(items[3].invalidReason == "expected an event object, found null")
        #expect(items[4].invalidReason == "expected an event object, found an array")
        #expect(items[5].position == .index(5))
        #expect(items[5].sourceJSON == #"{"b":2}"#)
    }

    @Test("empty array has no events")
    func emptyArray() throws {
        #expect(try decodeItems("[]").isEmpty)
    }

    @Test(
        "scalar body is a body error",
        arguments: [
            ("42", 0, "a number"), ("  \"x\"", 2, "a string"), ("\n true", 2, "a boolean"), ("null ", 0, "null"), ("-1.5e3", 0, "a number"),
        ])
    func scalarBody(body: String, offset: Int, found: String) throws {
        let error = try #require(bodyError(body))
        #expect(error.kind == .scalarBody)
        #expect(error.byteOffset == offset)
        #expect(error.message == "expected one event object, an array of event objects or NDJSON lines of objects, found \(found)")
        #expect(error.limit == nil)
    }

    @Test("one-line NDJSON scalar is a body error")
    func scalarNDJSONLine() throws {
        let error = try #require(bodyError("\n\n  \"x\"\r\n", format: .ndjson))
        #expect(error.kind == .scalarBody)
        #expect(error.byteOffset == 4)
        #expect(error.line == 3)
        #expect(error.column == 3)
    }

    @Test("NDJSON scalar among lines is invalid item")
    func scalarNDJSONLineAmongOthers() throws {
        let items = try decodeItems("{\"a\":1}\n42\n", format: .ndjson)
        #expect(items.count == 2)
        #expect(items[0].invalidReason == nil)
        #expect(items[1].position == .line(2))
        #expect(items[1].invalidReason == "expected an event object, found a number")
    }

    @Test("one-line NDJSON array is an invalid item")
    func oneLineArray() throws {
        let array = try decodeItems("\n[1]\n", format: .ndjson)
        #expect(array.first?.position == .line(2))
        #expect(array.first?.invalidReason == "expected an event object, found an array")
    }

    @Test("one-line NDJSON bad JSON fails the body")
    func oneLineBadJSON() throws {
        let broken = try #require(bodyError("\ntru\n", format: .ndjson))
        #expect(broken.kind == .invalidJSON)
        #expect(broken.message == "invalid JSON: invalid literal: expected 'true'")
        #expect(broken.byteOffset == 4)
        #expect(broken.line == 2)
        let twoValues = try #require(bodyError(#"{"a":1}{"a":2}"#, format: .ndjson))
        #expect(twoValues.message == "invalid JSON: unexpected data after the JSON value")
        #expect(twoValues.byteOffset == 7)
        // In a longer body the same line is one invalid item.
        let items = try decodeItems("tru\n{}", format: .ndjson)
        #expect(items.map(\.invalidReason) == ["invalid JSON at column 4: invalid literal: expected 'true'", nil])
    }

    @Test("search hit alone")
    func searchHit() throws {
        let items = try decodeItems(#"{"_index":"logs-windows.sysmon-default","_id":"abc","_score":1,"_source":{"host":{"name":"h"}}}"#)
        #expect(items.count == 1)
        #expect(items.first?.searchHitIndex == "logs-windows.sysmon-default")
        #expect(items.first?.searchHitID == "abc")
        #expect(items.first?.sourceJSON == #"{"host":{"name":"h"}}"#)
    }

    @Test("search hits in an array")
    func searchHitsArray() throws {
        let items = try decodeItems(#"[{"_index":"i","_id":"1","_source":{"a":1}},{"_index":"i","_id":"2","_source":{"a":2}}]"#)
        #expect(items.map(\.searchHitID) == ["1", "2"])
        #expect(items.map(\.position) == [.index(0), .index(1)])
    }

    @Test("search response")
    func searchResponse() throws {
        let body = #"""
            {"took":3,"timed_out":false,"hits":{"total":{"value":2,"relation":"eq"},"max_score":1.0,
             "hits":[{"_index":"winlogbeat-8","_id":"a","_source":{"event":{"code":"13"}}},
                     {"_index":"winlogbeat-8","_id":"b","_source":{"event":{"code":"12"}}}, 7]}}
            """#
        let items = try decodeItems(body)
        #expect(items.count == 3)
        #expect(items[0].searchHitID == "a")
        #expect(items[1].sourceJSON == #"{"event":{"code":"12"}}"#)
        #expect(items[2].position == .index(2))
        #expect(items[2].invalidReason == "expected an event object, found a number")
    }

    @Test("hit with non-object _source")
    func hitWithScalarSource() throws {
        let items = try decodeItems(#"{"_index":"i","_id":"1","_source":"x"}"#)
        #expect(items.first?.invalidReason == "expected the search hit's _source to be an object, found a string")
    }

    @Test("NDJSON with a bad line in the middle")
    func ndjsonBadLine() throws {
        let body = "{\"a\":1}\r\n\n{\"a\": 2,}\n[1]\n  \n{\"_index\":\"i\",\"_id\":\"h\",\"_source\":{\"a\":3}}\n"
        let items = try decodeItems(body, format: .ndjson)
        #expect(items.count == 4)
        #expect(items[0].position == .line(1))
        #expect(items[0].invalidReason == nil)
        #expect(items[1].position == .line(3))
        #expect(items[1].invalidReason == "invalid JSON at column 9: expected a string key")
        #expect(items[2].position == .line(4))
        #expect(items[2].invalidReason == "expected an event object, found an array")
        #expect(items[3].position == .line(6))
        #expect(items[3].searchHitID == "h")
        #expect(items[3].sourceJSON == #"{"a":3}"#)
    }

    @Test("NDJSON without final newline")
    func ndjsonNoFinalNewline() throws {
        let items = try decodeItems("{\"a\":1}\n{\"a\":2}", format: .ndjson)
        #expect(items.map(\.sourceJSON) == [#"{"a":1}"#, #"{"a":2}"#])
    }

    @Test("NDJSON line with invalid UTF-8")
    func ndjsonInvalidUTF8() throws {
        var body = Array("{\"a\":1}\n{\"a\":\"".utf8)
        body += [0xC3, 0x28]
        body += Array("\"}\n{\"a\":3}\n".utf8)
        let items = try decodeItems(body, format: .ndjson)
        #expect(items.count == 3)
        #expect(items[1].invalidReason == "invalid JSON at column 7: invalid UTF-8 sequence starting with byte 0xC3")
        #expect(items[2].invalidReason == nil)
    }

    @Test("empty bodies are errors")
    func emptyBodies() {
        #expect(bodyError("")?.kind == .empty)
        #expect(bodyError(" \n\t")?.kind == .empty)
        #expect(bodyError("", format: .ndjson)?.kind == .empty)
        #expect(bodyError("\n\r\n \n", format: .ndjson)?.kind == .empty)
    }

    @Test("too many events")
    func tooManyEvents() {
        let limits = EventDecoderLimits(maxEvents: 2)
        let arrayError = bodyError("[{},{},{}]", limits: limits)
        #expect(arrayError?.kind == .tooManyEvents(limit: 2))
        #expect(arrayError?.message == "too many events: 3 in one request, the limit is 2")
        let hitsError = bodyError(#"{"hits":{"hits":[{},{},{}]}}"#, limits: limits)
        #expect(hitsError?.kind == .tooManyEvents(limit: 2))
        let ndjsonError = bodyError("{}\n\n{}\n{}\n", format: .ndjson, limits: limits)
        #expect(ndjsonError?.kind == .tooManyEvents(limit: 2))
        #expect(ndjsonError?.line == 4)
        #expect(ndjsonError?.byteOffset == 7)
        #expect(bodyError("[{},{}]", limits: limits) == nil)
    }

    @Test("too many events visits none")
    func tooManyVisitsNone() {
        var visited = 0
        #expect(throws: EventBodyError.self) {
            try EventDecoder(limits: EventDecoderLimits(maxEvents: 1)).decode(Array("{}\n{}".utf8), format: .ndjson) { _ in
                visited += 1
            }
        }
        #expect(visited == 0)
    }

    @Test("decoder is reusable")
    func reusable() throws {
        let decoder = EventDecoder()
        var names: [String?] = []
        for body in [#"{"host":{"name":"a"}}"#, "not json", #"{"host.name":"b"}"#] {
            try? decoder.decode(Array(body.utf8), format: .json) { item in
                if case .event(let event) = item {
                    names.append(event.firstString(FieldPath("host.name")))
                }
            }
        }
        #expect(names == ["a", "b"])
    }
}

@Suite("Roots that are no event")
struct SourcelessRootTests {
    static let response = #"{"took":1,"hits":{"total":{"value":1},"hits":[{"_index":"i","_id":"1","_source":{"a":1}}]}}"#
    static let fieldsOnlyHit = #"{"_index":"logs","_id":"x1","fields":{"registry.path":["HKLM\\x"]}}"#

    @Test("search response on an NDJSON line")
    func responseLine() throws {
        let items = try decodeItems(Self.response + "\n{\"a\":1}", format: .ndjson)
        #expect(items[0].invalidReason?.hasPrefix("expected an event or a search hit, found a whole search response (hits.hits)") == true)
        #expect(items[1].invalidReason == nil)
    }

    @Test("hit with fields only")
    func fieldsOnly() throws {
        let items = try decodeItems("[\(Self.fieldsOnlyHit),{\"a\":1}]")
        #expect(items[0].invalidReason?.hasPrefix("expected a search hit with _source, found one with fields only") == true)
        #expect(items[1].invalidReason == nil)
    }

    @Test("events with such members stay events")
    func plainEvents() throws {
        let filebeat = #"{"message":"m","fields":{"env":"prod"}}"#
        let hitsField = #"{"hits":{"count":3}}"#
        let hitsArray = #"{"hits":[{"_index":"i","_id":"1","_source":{"a":1}}]}"#
        #expect(try decodeItems(hitsArray).first?.invalidReason?.contains("found hits as an array") == true)
        let indexOnly = #"{"_index":"logs","message":"m"}"#
        let items = try decodeItems([filebeat, hitsField, indexOnly].joined(separator: "\n"), format: .ndjson)
        #expect(items.map(\.invalidReason) == [nil, nil, nil])
    }
}
