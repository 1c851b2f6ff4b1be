import Testing

@testable import Detection

/// The test event must give the same values as the simdjson event, or the EQL tests would
/// check the wrong semantics.
@Suite("EQL test event")
struct EQLTestEventTests {
    static func values(_ json: String, _ field: String) throws -> [String] {
        var result: [String] = []
        try JSONTestEvent(json: json).forEachValue(of: FieldPath(field)) { value in
            switch value {
            case .string(let bytes): result.append("string \(String(decoding: bytes, as: UTF8.self))")
            case .integer(let number): result.append("integer \(number)")
            case .unsignedInteger(let number): result.append("unsigned \(number)")
            case .double(let number): result.append("double \(number)")
            case .bool(let flag): result.append("bool \(flag)")
            }
            return true
        }
        return result
    }

    @Test("scalar value types")
    func scalarTypes() throws {
        #expect(try Self.values(#"{"v": true}"#, "v") == ["bool true"])
        #expect(try Self.values(#"{"v": 3}"#, "v") == ["integer 3"])
        #expect(try Self.values(#"{"v": -3}"#, "v") == ["integer -3"])
        #expect(try Self.values(#"{"v": 1.5}"#, "v") == ["double 1.5"])
        #expect(try Self.values(#"{"v": "x"}"#, "v") == ["string x"])
        #expect(try Self.values(#"{"v": 18446744073709551615}"#, "v") == ["unsigned 18446744073709551615"])
    }

    @Test("null and objects are not values")
    func nullAndObjects() throws {
        #expect(try Self.values(#"{"v": null}"#, "v").isEmpty)
        #expect(try Self.values(#"{"v": {"w": 1}}"#, "v").isEmpty)
        #expect(try Self.values(#"{"v": [null, 1]}"#, "v") == ["integer 1"])
    }

    @Test("dotted keys and arrays")
    func dottedKeysAndArrays() throws {
        #expect(try Self.values(#"{"a": {"b": 1}, "a.b": 2}"#, "a.b") == ["integer 1", "integer 2"])
        #expect(try Self.values(#"{"a": [{"b": 1}, {"b": [2, 3]}]}"#, "a.b") == ["integer 1", "integer 2", "integer 3"])
        #expect(try Self.values(#"{"a.b": {"c": "x"}}"#, "a.b.c") == ["string x"])
    }
}
