import Testing

@testable import Detection

@Suite("Event identity")
struct IdentityTests {
    func identity(_ json: String) throws -> EventIdentity {
        let items = try decodeItems(json)
        #expect(items.count == 1)
        return try #require(items.first?.identity)
    }

    @Test("search hit uses _index and _id")
    func searchHit() throws {
        let value = try identity(#"{"_index":"winlogbeat-8","_id":"AbC","_source":{"event":{"id":"e1"}}}"#)
        #expect(value == .searchHit(index: "winlogbeat-8", id: "AbC"))
        #expect(value.description == "hit:winlogbeat-8/AbC")
    }

    @Test("hit without _id falls back")
    func hitWithoutID() throws {
        #expect(try identity(#"{"_index":"i","_source":{"event":{"id":"e1"}}}"#) == .eventID("e1"))
    }

    @Test("event.id when no hit")
    func eventID() throws {
        let value = try identity(#"{"event":{"id":"MYfZG00oEwD2/fqT+++++CMy"}}"#)
        #expect(value == .eventID("MYfZG00oEwD2/fqT+++++CMy"))
        #expect(value.description == "event.id:MYfZG00oEwD2/fqT+++++CMy")
        #expect(try identity(#"{"event.id":"x"}"#) == .eventID("x"))
    }

    @Test("content hash without ids")
    func contentHash() throws {
        let value = try identity(#"{"host":{"name":"h"}}"#)
        guard case .contentHash(let digest) = value else {
            Issue.record("expected a content hash, got \(value)")
            return
        }
        #expect(digest.count == 64)
        #expect(digest.allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test("same for any key order")
    func keyOrder() throws {
        let first = try identity(#"{"a":1,"b":{"c":"x","d":[1,2]},"e":true}"#)
        let second = try identity(#"{"e":true,"b":{"d":[1,2],"c":"x"},"a":1}"#)
        #expect(first == second)
    }

    @Test("same for dotted and nested spellings")
    func dottedAndNested() throws {
        let nested = try identity(#"{"registry":{"path":"p","data":{"strings":["s"]}},"host":{"name":"h"}}"#)
        let dotted = try identity(#"{"registry.path":"p","registry.data.strings":["s"],"host.name":"h"}"#)
        let mixed = try identity(#"{"host.name":"h","registry":{"data.strings":["s"],"path":"p"}}"#)
        #expect(nested == dotted)
        #expect(nested == mixed)
    }

    @Test("ignores event.ingested and agent.ephemeral_id")
    func ignoresShipperFields() throws {
        let original = try identity(#"{"@timestamp":"2019-07-29T21:33:59.803Z","host":{"name":"h"}}"#)
        let resent = try identity(
            #"{"@timestamp":"2019-07-29T21:33:59.803Z","host":{"name":"h"},"event":{"ingested":"2025-01-15T10:00:06Z"},"agent":{"ephemeral_id":"9"}}"#)
        let resentDotted = try identity(
            #"{"event.ingested":"2025-01-16T00:00:00Z","@timestamp":"2019-07-29T21:33:59.803Z","host":{"name":"h"}}"#)
        #expect(original == resent)
        #expect(original == resentDotted)
    }

    @Test("null fields count as missing")
    func nullFields() throws {
        #expect(try identity(#"{"a":1,"b":null}"#) == identity(#"{"a":1}"#))
    }

    @Test("differs for other changes")
    func differs() throws {
        let base = try identity(#"{"a":"1","b":[1,2],"@timestamp":"2019-07-29T21:33:59.803Z"}"#)
        let variants = [
            #"{"a":"2","b":[1,2],"@timestamp":"2019-07-29T21:33:59.803Z"}"#,
            #"{"a":1,"b":[1,2],"@timestamp":"2019-07-29T21:33:59.803Z"}"#,
            #"{"a":"1","b":[2,1],"@timestamp":"2019-07-29T21:33:59.803Z"}"#,
            #"{"a":"1","b":[1,2],"@timestamp":"2019-07-29T21:33:59.804Z"}"#,
            #"{"a":"1","b":[1,2],"@timestamp":"2019-07-29T21:33:59.803Z","agent":{"id":"x"}}"#,
            #"{"a":"1","b":[1.0,2],"@timestamp":"2019-07-29T21:33:59.803Z"}"#,
            #"{"a":"1","b":[[1,2]],"@timestamp":"2019-07-29T21:33:59.803Z"}"#,
        ]
        for variant in variants {
            #expect(try identity(variant) != base, "\(variant)")
        }
    }

    @Test("arrays of objects compare canonically")
    func arraysOfObjects() throws {
        let first = try identity(#"{"x":[{"a":1,"b":{"c":2}}]}"#)
        let second = try identity(#"{"x":[{"b.c":2,"a":1}]}"#)
        #expect(first == second)
    }

    @Test("corpus events have distinct identities")
    func corpusDistinct() throws {
        var identities: [EventIdentity] = []
        for file in Corpus.eventFiles {
            identities += try decodeItems([UInt8](try Corpus.bytes(file.lastPathComponent)), format: .ndjson).compactMap(\.identity)
        }
        #expect(identities.count == 57)
        #expect(Set(identities).count == 57)
    }
}
