import Foundation
import Testing

@testable import Detection

@Suite("Exception entry values")
struct ExceptionEntryValueTests {
    /// Decodes an item with one entry of `type` whose value is the JSON text `value`, and
    /// returns the pointer and message of the decoding error.
    static func decodingFailure(type: String, value: String) -> (pointer: String, message: String)? {
        let json = #"{"name":"n","entries":[{"field":"process.pid","operator":"included","type":"\#(type)","value":\#(value)}]}"#
        do {
            _ = try JSONDecoder().decode(ExceptionItem.self, from: Data(json.utf8))
            return nil
        } catch DecodingError.dataCorrupted(let context) {
            let pointer = context.codingPath.map { "/" + ($0.intValue.map(String.init) ?? $0.stringValue) }.joined()
            return (pointer, context.debugDescription)
        } catch {
            return ("", "unexpected error \(error)")
        }
    }

    @Test("number in a match entry")
    func numberInMatch() throws {
        let failure = try #require(Self.decodingFailure(type: "match", value: "1234"))
        #expect(failure.pointer == "/entries/0/value")
        #expect(
            failure.message
                == #"a match entry needs one non-empty string as its value, such as "netadmin"; found the number 1234. Write it as the string "1234"."#
        )
    }

    @Test("each type names what it expects")
    func wrongShapes() throws {
        let cases: [(type: String, value: String, pointer: String, message: String)] = [
            ("match", "true", "/entries/0/value", #"a match entry needs one non-empty string as its value, such as "netadmin"; found the Boolean true."#),
            ("match", #"["a"]"#, "/entries/0/value", #"a match entry needs one non-empty string as its value, such as "netadmin"; found an array."#),
            (
                "wildcard", "2.5", "/entries/0/value",
                #"a wildcard entry needs one non-empty string as its value, such as "netsh interface portproxy *"; found the number 2.5. Write it as the string "2.5"."#
            ),
            (
                "wildcard", "{}", "/entries/0/value",
                #"a wildcard entry needs one non-empty string as its value, such as "netsh interface portproxy *"; found an object."#
            ),
            (
                "match_any", #""a""#, "/entries/0/value",
                #"a match_any entry needs an array of non-empty strings as its value, such as ["netadmin", "root"]; found a string."#
            ),
            (
                "match_any", #"["a", 2]"#, "/entries/0/value/1",
                #"a match_any entry needs an array of non-empty strings as its value, such as ["netadmin", "root"]; found the number 2 at index 1."#
            ),
            ("exists", #""x""#, "/entries/0/value", "an exists entry takes no value; found a string. Remove the value member."),
            ("exists", "[]", "/entries/0/value", "an exists entry takes no value; found an array. Remove the value member."),
            (
                "list", #"["a"]"#, "/entries/0/value",
                "a list entry takes no value but names a value list in its list member; found an array. Value lists are not supported; use match_any with the values instead."
            ),
        ]
        for entry in cases {
            let failure = try #require(Self.decodingFailure(type: entry.type, value: entry.value), "\(entry.type) \(entry.value)")
            #expect(failure.pointer == entry.pointer, "\(entry.type) \(entry.value)")
            #expect(failure.message == entry.message, "\(entry.type) \(entry.value)")
        }
    }

    @Test("values of the right shape decode")
    func rightShapes() throws {
        #expect(Self.decodingFailure(type: "match", value: #""1234""#) == nil)
        #expect(Self.decodingFailure(type: "wildcard", value: #""a*""#) == nil)
        #expect(Self.decodingFailure(type: "match_any", value: #"["a", "b"]"#) == nil)
        #expect(Self.decodingFailure(type: "exists", value: "null") == nil)
        // An unknown type is reported by validation at /type, whatever the value.
        #expect(Self.decodingFailure(type: "regex", value: "5") == nil)
    }

    @Test("validation names the expected value")
    func validationMessages() throws {
        let missing = ExceptionItem(name: "n", entries: [ExceptionEntry(field: "user.name", type: .match, operator: .included)])
        #expect(
            throws: ExceptionValidationError(
                pointer: "/entries/0/value",
                message: #"a match entry needs one non-empty string as its value, such as "netadmin"; the value is missing"#)
        ) {
            try missing.validate()
        }
        let empty = ExceptionItem(
            name: "n", entries: [ExceptionEntry(field: "user.name", type: .matchAny, operator: .included, value: .list(["a", ""]))])
        #expect(
            throws: ExceptionValidationError(
                pointer: "/entries/0/value/1",
                message: #"a match_any entry needs an array of non-empty strings as its value, such as ["netadmin", "root"]; found an empty string at index 1"#)
        ) {
            try empty.validate()
        }
    }
}
