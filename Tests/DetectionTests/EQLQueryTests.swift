import Testing

@testable import Detection

@Suite("JSONTestEvent")
struct JSONTestEventTests {
    @Test("value types")
    func valueTypes() throws {
        let event = try JSONTestEvent(json: #"{"b": true, "i": 3, "d": 1.5, "s": "x", "n": null, "big": 18446744073709551615}"#)
        var seen: [String] = []
        for name in ["b", "i", "d", "s", "n", "big"] {
            event.forEachValue(of: FieldPath(name)) { value in
                seen.append("\(name)=\(value)")
                return true
            }
        }
        print(seen)
        #expect(seen.count == 5)
    }
}
