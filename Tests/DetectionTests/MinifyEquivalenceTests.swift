import Foundation
import Testing

@testable import Detection

/// detectd writes an alert's source event with its own tape writer. These tests check that it
/// writes the same bytes as simdjson's serializer for the same document.
@Suite("Minified JSON matches simdjson's serializer")
struct MinifyEquivalenceTests {
    /// Returns both minified texts of the JSON text `json`.
    func minified(_ json: String) throws -> (ours: String, simdjson: String) {
        var result: (String, String)?
        try EventDecoder().decode(Array(json.utf8), format: .json) { item in
            if case .event(let event) = item {
                result = (event.source.minifiedJSON(), event.source.minifiedJSONBySimdJSON())
            }
        }
        return try #require(result)
    }

    @Test("escapes in strings and keys, at every offset of a short string")
    func escapes() throws {
        let escapes = [#"\""#, #"\\"#, #"\n"#, #"\t"#, #"\b"#, #"\f"#, #"\r"#, #"\u0001"#, #"\u001f"#, #"\u007f"#, #"\/"#, #"\u00e9"#]
        for escape in escapes {
            for offset in 0...17 {
                let text = String(repeating: "a", count: offset) + escape + String(repeating: "b", count: 17 - offset)
                let (ours, simdjson) = try minified(#"{"k\#(escape)":"\#(text)","v":["\#(escape)"]}"#)
                #expect(ours == simdjson, "escape \(escape) at offset \(offset)")
            }
        }
    }

    @Test("strings of every length up to 40 bytes, plain and multi-byte")
    func lengths() throws {
        for length in 0...40 {
            for unit in ["x", "é", "日", "😀"] {
                let text = String(repeating: unit, count: length)
                let (ours, simdjson) = try minified(#"{"s":"\#(text)"}"#)
                #expect(ours == simdjson, "\(length) × \(unit)")
            }
        }
    }

    @Test("numbers, literals and nesting")
    func values() throws {
        let documents = [
            #"{"a":[0,-0,1,-1,1.5,-1.5e-300,1e308,5e-324,0.1,1E+2,100.0,2.5e-7,123456789.123456789]}"#,
            #"{"i":[9223372036854775807,-9223372036854775808,18446744073709551615,9223372036854775808]}"#,
            #"{ "t" : true , "f" : false , "n" : null , "o" : { } , "e" : [ ] , "s" : "" }"#,
            "{\"deep\":" + String(repeating: "[", count: 40) + "1" + String(repeating: "]", count: 40) + "}",
            "{\"objects\":" + String(repeating: #"{"k":"#, count: 30) + "null" + String(repeating: "}", count: 30) + "}",
            #"{"dup":1,"dup":2,"":{"":[{},[]]}}"#,
        ]
        for document in documents {
            let (ours, simdjson) = try minified(document)
            #expect(ours == simdjson, "\(document)")
        }
    }

    @Test("every corpus event")
    func corpus() throws {
        var count = 0
        for file in Corpus.eventFiles {
            let lines = String(decoding: try Data(contentsOf: file), as: UTF8.self).split(separator: "\n")
            for line in lines where !line.allSatisfy(\.isWhitespace) {
                let (ours, simdjson) = try minified(String(line))
                #expect(ours == simdjson, "\(file.lastPathComponent): \(line.prefix(80))")
                count += 1
            }
        }
        #expect(count >= 50, "the corpus holds 57 events")
    }
}
