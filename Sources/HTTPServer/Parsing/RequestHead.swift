/// The request line and header section of a request (RFC 9112, sections 3 and 5).
struct RequestHead: Equatable {
    var method: HTTPMethod
    var target: String
    var version: HTTPVersion
    var fields: HTTPFields

    static func == (left: RequestHead, right: RequestHead) -> Bool {
        left.method == right.method && left.target == right.target && left.version == right.version
            && Array(left.fields).elementsEqual(Array(right.fields), by: { $0 == $1 })
    }
}

/// The protocol version of a request; only major version 1 reaches this type.
struct HTTPVersion: Equatable, CustomStringConvertible {
    var major: Int
    var minor: Int

    static let http10 = HTTPVersion(major: 1, minor: 0)
    static let http11 = HTTPVersion(major: 1, minor: 1)

    /// "HTTP/1.0" for 1.0; "HTTP/1.1" for 1.1 and the later minor versions it is compatible with.
    var description: String { minor == 0 ? "HTTP/1.0" : "HTTP/1.1" }
}

/// Byte classes of RFC 9110, section 5.6.2 (token) and section 5.5 (field-vchar, obs-text).
enum HTTPSyntax {
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"):
            true
        default:
            Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\t") || (0x20...0x7E).contains(byte) || byte >= 0x80
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// Decodes field bytes as UTF-8, or as ISO-8859-1 when they are not UTF-8, so no byte is lost.
    static func text(_ bytes: some Collection<UInt8>) -> String {
        if let text = String(validating: bytes, as: UTF8.self) {
            return text
        }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    /// Decodes the parser's own slices through a buffer pointer. Profiles showed the generic
    /// collection path as a visible cost for the short ASCII fields of every request.
    static func text(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            if !buffer.contains(where: { $0 >= 0x80 }) {
                return String(decoding: buffer, as: UTF8.self)
            }
            return text(buffer)
        }
    }
}
