import Testing

@testable import Storage

@Suite("Alert cursor")
struct AlertCursorTests {
    @Test("round trip keeps position")
    func roundTrip() throws {
        let cursor = AlertCursor(timestampMilliseconds: -5, id: "id:with:colons/and+symbols?", ascending: false)

        let decoded = try AlertCursor(decoding: cursor.encoded, ascending: false)

        #expect(decoded == cursor)
        #expect(cursor.encoded.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    }

    @Test("malformed reasons")
    func malformedReasons() {
        let cases: [(cursor: String, reason: String)] = [
            ("", "the cursor is empty"),
            ("a=b", "the cursor does not decode as base64url to text"),
            (AlertCursor.encodeForTest("d:1000"), "expected order, timestamp and id separated by colons"),
            (AlertCursor.encodeForTest("z:1000:x"), "unknown sort order \"z\""),
            (AlertCursor.encodeForTest("d:1e3:x"), "the timestamp is not an integer"),
            (AlertCursor.encodeForTest("d:1000:"), "the alert id is missing"),
        ]
        for (cursor, reason) in cases {
            #expect(throws: StorageError.invalidCursor(cursor: cursor, reason: reason)) {
                try AlertCursor(decoding: cursor, ascending: false)
            }
        }
    }
}
