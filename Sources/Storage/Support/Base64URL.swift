import Foundation

/// base64url without padding (RFC 4648 section 5), the text form of detectd's opaque cursors.
enum Base64URL {
    static func encode(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Returns the UTF-8 text `encoded` stands for, or nil when it is not base64url of UTF-8 text.
    static func decode(_ encoded: String) -> String? {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        guard encoded.allSatisfy(alphabet.contains), encoded.count % 4 != 1 else {
            return nil
        }
        var standard = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        guard let data = Data(base64Encoded: standard) else {
            return nil
        }
        return String(data: data, encoding: .utf8)
    }
}
