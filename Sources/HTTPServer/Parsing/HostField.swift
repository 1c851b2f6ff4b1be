/// The syntax of the `Host` field, `uri-host [ ":" port ]` (RFC 9110, section 7.2, with the
/// host and port rules of RFC 3986, section 3.2.2). RFC 9112, section 3.2, requires a 400 for an
/// invalid value.
enum HostField {
    static func isValid(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        // An empty value is allowed when the target URI has no authority.
        if bytes.isEmpty {
            return true
        }

        var hostEnd: Int
        if bytes[0] == UInt8(ascii: "[") {
            // IP-literal: an IPv6 address or IPvFuture in brackets.
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")), close > 1 else {
                return false
            }
            guard bytes[1..<close].allSatisfy({ isUnreserved($0) || isSubDelimiter($0) || $0 == UInt8(ascii: ":") }) else {
                return false
            }
            hostEnd = close + 1
        } else {
            hostEnd = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.count
            guard isRegisteredName(bytes[..<hostEnd]) else {
                return false
            }
        }

        guard hostEnd < bytes.count else {
            return true
        }
        guard bytes[hostEnd] == UInt8(ascii: ":") else {
            return false
        }
        return bytes[(hostEnd + 1)...].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// `reg-name = *( unreserved / pct-encoded / sub-delims )`, which also covers IPv4 addresses.
    private static func isRegisteredName(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex,
                    PercentDecoding.hexValue(bytes[index + 1]) != nil,
                    PercentDecoding.hexValue(bytes[index + 2]) != nil
                else {
                    return false
                }
                index += 3
                continue
            }
            guard isUnreserved(byte) || isSubDelimiter(byte) else {
                return false
            }
            index += 1
        }
        return true
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func isSubDelimiter(_ byte: UInt8) -> Bool {
        Array("!$&'()*+,;=".utf8).contains(byte)
    }
}
