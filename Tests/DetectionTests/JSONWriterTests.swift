import Foundation
import Testing

@testable import Detection

@Suite("JSON writer")
struct JSONWriterTests {
    @Test("object with every value kind")
    func everyKind() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.member("s", "text")
        writer.member("i", 42)
        writer.key("n")
        writer.number(Int64(-7))
        writer.key("u")
        writer.number(UInt64.max)
        writer.key("d")
        writer.number(1.5)
        writer.member("b", true)
        writer.key("z")
        writer.null()
        writer.member("list", ["a", "b"])
        writer.key("raw")
        writer.raw(#"{"x":[1]}"#)
        writer.key("empty")
        writer.beginArray()
        writer.endArray()
        writer.endObject()
        #expect(
            writer.text
                == #"{"s":"text","i":42,"n":-7,"u":18446744073709551615,"d":1.5,"b":true,"z":null,"list":["a","b"],"raw":{"x":[1]},"empty":[]}"#
        )
    }

    @Test("string escaping")
    func escaping() throws {
        var writer = JSONWriter()
        writer.string("q\"b\\n\nr\rt\t\u{01}\u{1F}é😀/")
        #expect(writer.text == #""q\"b\\n\nr\rt\t\u0001\u001fé😀/""#)

        let decoded = try JSONSerialization.jsonObject(with: Data(writer.bytes), options: [.fragmentsAllowed]) as? String
        #expect(decoded == "q\"b\\n\nr\rt\t\u{01}\u{1F}é😀/")
    }

    @Test("non-finite doubles are null")
    func nonFinite() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.number(Double.nan)
        writer.number(Double.infinity)
        writer.number(0.1)
        writer.endArray()
        #expect(writer.text == "[null,null,0.1]")
    }

    @Test("nested containers get commas")
    func nested() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.beginObject()
        writer.optionalMember("a", nil)
        writer.optionalMember("b", "x")
        writer.endObject()
        writer.beginArray()
        writer.endArray()
        writer.string(nil as String?)
        writer.endArray()
        #expect(writer.text == #"[{"b":"x"},[],null]"#)
    }
}
