import Testing

@testable import Detection

@Suite("Minify buffer of a thread")
struct MinifyBufferTests {
    /// Returns an event whose minified text is about `bytes` long.
    func event(bytes: Int) -> String {
        let value = String(repeating: "x", count: 40)
        let count = bytes / (value.count + 3)
        let values = Array(repeating: "\"\(value)\"", count: count).joined(separator: ",")
        return #"{"event":{"category":["registry"]},"message":[\#(values)]}"#
    }

    @Test("keeps the buffer after a small event")
    func keepsSmall() throws {
        let json = event(bytes: 4_096)
        let minified = try withEvent(json) { $0.sourceJSON() }
        #expect(minified == json)
        #expect(JSONElement.minifyBufferLongestText >= json.utf8.count)
        #expect(JSONElement.minifyBufferLongestText <= JSONElement.minifyKeptTextLimit)
    }

    @Test("frees the buffer after a large event")
    func freesLarge() throws {
        let json = event(bytes: JSONElement.minifyKeptTextLimit + 100_000)
        #expect(json.utf8.count > JSONElement.minifyKeptTextLimit)
        let minified = try withEvent(json) { $0.sourceJSON() }
        #expect(minified == json)
        #expect(JSONElement.minifyBufferLongestText == 0)
    }
}
