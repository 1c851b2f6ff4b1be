import Testing

@testable import Detection

@Suite("Event field lookup")
struct EventFieldLookupTests {
    @Test("nested objects")
    func nestedObjects() throws {
        let values = try fieldValues("registry.path", in: #"{"registry":{"path":"HKLM\\A"}}"#)
        #expect(values == [.string(#"HKLM\A"#)])
    }

    @Test("dotted keys")
    func dottedKeys() throws {
        let values = try fieldValues("registry.path", in: #"{"registry.path":"x"}"#)
        #expect(values == [.string("x")])
    }

    @Test("dotted and nested mixed")
    func mixedSpelling() throws {
        #expect(try fieldValues("registry.data.strings", in: #"{"registry.data":{"strings":["a","b"]}}"#) == [.string("a"), .string("b")])
        #expect(try fieldValues("registry.data.strings", in: #"{"registry":{"data.strings":"c"}}"#) == [.string("c")])
        #expect(try fieldValues("registry.data.strings", in: #"{"registry":{"data":{"strings":"d"}}}"#) == [.string("d")])
    }

    @Test("both spellings give every value")
    func bothSpellings() throws {
        let values = try fieldValues("host.name", in: #"{"host":{"name":"a"},"host.name":"b"}"#)
        #expect(values == [.string("a"), .string("b")])
    }

    @Test("array elements are values")
    func arrayElements() throws {
        let values = try fieldValues("event.category", in: #"{"event":{"category":["configuration","registry"]}}"#)
        #expect(values == [.string("configuration"), .string("registry")])
    }

    @Test("single value in an array")
    func singleValueArray() throws {
        #expect(try fieldValues("registry.path", in: #"{"registry":{"path":["x"]}}"#) == [.string("x")])
    }

    @Test("arrays of objects are walked")
    func arraysOfObjects() throws {
        let body = #"{"process":{"Ext":{"code_signature":[{"trusted":true},{"trusted":false},{"other":1}]}}}"#
        #expect(try fieldValues("process.Ext.code_signature.trusted", in: body) == [.bool(true), .bool(false)])
    }

    @Test("nested arrays are flattened")
    func nestedArrays() throws {
        #expect(try fieldValues("a", in: #"{"a":[[1,2],[3]]}"#) == [.integer(1), .integer(2), .integer(3)])
    }

    @Test("null counts as missing")
    func nullIsMissing() throws {
        #expect(try fieldValues("user.name", in: #"{"user":{"name":null}}"#) == [])
        #expect(try fieldValues("user.name", in: #"{"user":null}"#) == [])
        #expect(try fieldValues("a", in: #"{"a":[null,"x",null]}"#) == [.string("x")])
        let hasValue = try withEvent(#"{"user":{"name":null}}"#) { $0.hasValue(FieldPath("user.name")) }
        #expect(hasValue == false)
    }

    @Test("objects are not values")
    func objectsAreNotValues() throws {
        #expect(try fieldValues("registry", in: #"{"registry":{"path":"x"}}"#) == [])
    }

    @Test("missing field has no values")
    func missingField() throws {
        #expect(try fieldValues("process.name", in: #"{"host":{"name":"h"}}"#) == [])
        #expect(try fieldValues("host.name.extra", in: #"{"host":{"name":"h"}}"#) == [])
    }

    @Test("prefix keys do not match")
    func prefixKeys() throws {
        #expect(try fieldValues("host.name", in: #"{"hostx":{"name":"a"},"host":{"namex":"b"},"host.names":"c"}"#) == [])
    }

    @Test("numbers keep their kind")
    func numbers() throws {
        #expect(try fieldValues("process.pid", in: #"{"process":{"pid":4028}}"#) == [.integer(4028)])
        #expect(try fieldValues("n", in: #"{"n":-7}"#) == [.integer(-7)])
        #expect(try fieldValues("n", in: #"{"n":18446744073709551615}"#) == [.unsignedInteger(UInt64.max)])
        #expect(try fieldValues("n", in: #"{"n":1.5}"#) == [.double(1.5)])
        #expect(try fieldValues("n", in: #"{"n":1e3}"#) == [.double(1000)])
        #expect(try fieldValues("n", in: #"{"n":100000000000000000000.0}"#) == [.double(1e20)])
    }

    @Test("booleans")
    func booleans() throws {
        #expect(try fieldValues("a.b", in: #"{"a":{"b":false}}"#) == [.bool(false)])
    }

    @Test("unicode escapes are decoded")
    func unicodeEscapes() throws {
        #expect(try fieldValues("user.name", in: #"{"user":{"name":"J\u00fcrgen \ud83d\ude00"}}"#) == [.string("Jürgen 😀")])
        #expect(try fieldValues("p", in: #"{"p":"C:\\Windows\\\"x\"\n"}"#) == [.string("C:\\Windows\\\"x\"\n")])
    }

    @Test("unicode keys")
    func unicodeKeys() throws {
        #expect(try fieldValues("größe.wert", in: #"{"gr\u00f6\u00dfe":{"wert":1}}"#) == [.integer(1)])
    }

    @Test("stops when the body returns false")
    func stopsEarly() throws {
        let count = try withEvent(#"{"a":[1,2,3]}"#) { event in
            var seen = 0
            event.forEachValue(of: FieldPath("a")) { _ in
                seen += 1
                return false
            }
            return seen
        }
        #expect(count == 1)
    }

    @Test("first string skips other kinds")
    func firstString() throws {
        let value = try withEvent(#"{"a":[1,"two","three"]}"#) { $0.firstString(FieldPath("a")) }
        #expect(value == "two")
    }

    @Test("search hit looks up _source")
    func searchHitSource() throws {
        let body = #"{"_index":"winlogbeat-1","_id":"x","_source":{"host":{"name":"h"}}}"#
        #expect(try fieldValues("host.name", in: body) == [.string("h")])
        #expect(try fieldValues("_index", in: body) == [])
    }
}
