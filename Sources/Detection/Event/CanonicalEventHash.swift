/// A SHA-256 of an event that does not depend on how the event was spelled.
///
/// Objects are flattened to dotted field names, so `{"a":{"b":1}}` and `{"a.b":1}` are the same,
/// and fields are sorted, so key order does not matter. `null` fields count as missing.
/// Array order is kept because it is part of the value. `event.ingested` and
/// `agent.ephemeral_id` are left out: a shipper changes them when it re-sends an event.
enum CanonicalEventHash {
    static let ignoredFields: [[UInt8]] = [Array("event.ingested".utf8), Array("agent.ephemeral_id".utf8)]

    /// Returns the lowercase hex digest of the canonical form of `event`.
    static func hexDigest(of event: JSONElement) -> String {
        var hasher = SHA256()
        hasher.update(canonicalObject(event, ignoring: ignoredFields))
        return hasher.finalizeHex()
    }

    /// Encodes an object as its sorted, flattened fields: a count, then per field the
    /// length-prefixed name and the encoded value.
    private static func canonicalObject(_ object: JSONElement, ignoring ignored: [[UInt8]] = []) -> [UInt8] {
        var fields: [(name: [UInt8], value: [UInt8])] = []
        flatten(object, prefix: [], into: &fields)
        fields.removeAll { field in
            ignored.contains { name in
                field.name == name || field.name.starts(with: name + [UInt8(ascii: ".")])
            }
        }
        fields.sort { left, right in
            if left.name != right.name {
                return left.name.lexicographicallyPrecedes(right.name)
            }
            return left.value.lexicographicallyPrecedes(right.value)
        }

        var encoded: [UInt8] = [UInt8(ascii: "o")]
        appendBigEndian(UInt64(fields.count), to: &encoded)
        for field in fields {
            appendBigEndian(UInt64(field.name.count), to: &encoded)
            encoded.append(contentsOf: field.name)
            encoded.append(contentsOf: field.value)
        }
        return encoded
    }

    private static func flatten(_ object: JSONElement, prefix: [UInt8], into fields: inout [(name: [UInt8], value: [UInt8])]) {
        object.forEachMember { key, value in
            var name = prefix
            if !name.isEmpty {
                name.append(UInt8(ascii: "."))
            }
            name.append(contentsOf: key)
            switch value.type {
            case .object:
                flatten(value, prefix: name, into: &fields)
            case .null:
                break
            default:
                fields.append((name, canonicalValue(value)))
            }
            return true
        }
    }

    /// Encodes one value with a type tag, so that `"1"`, `1` and `1.0` differ.
    private static func canonicalValue(_ value: JSONElement) -> [UInt8] {
        var encoded: [UInt8] = []
        switch value.type {
        case .object:
            return canonicalObject(value)
        case .array:
            encoded.append(UInt8(ascii: "a"))
            appendBigEndian(UInt64(value.arrayCount), to: &encoded)
            value.forEachElement { element in
                encoded.append(contentsOf: canonicalValue(element))
                return true
            }
        case .string:
            let bytes = value.stringBytes ?? UnsafeRawBufferPointer(start: nil, count: 0)
            encoded.append(UInt8(ascii: "s"))
            appendBigEndian(UInt64(bytes.count), to: &encoded)
            encoded.append(contentsOf: bytes)
        case .int64:
            encoded.append(UInt8(ascii: "i"))
            encoded.append(contentsOf: String(value.int64 ?? 0).utf8)
            encoded.append(UInt8(ascii: ";"))
        case .uint64:
            encoded.append(UInt8(ascii: "i"))
            encoded.append(contentsOf: String(value.uint64 ?? 0).utf8)
            encoded.append(UInt8(ascii: ";"))
        case .double:
            encoded.append(UInt8(ascii: "d"))
            appendBigEndian((value.double ?? 0).bitPattern, to: &encoded)
        case .bool:
            encoded.append(value.bool == true ? UInt8(ascii: "t") : UInt8(ascii: "f"))
        case .null:
            encoded.append(UInt8(ascii: "n"))
        }
        return encoded
    }

    /// Appends `value` as 8 big-endian bytes: lengths, counts and the bits of a `Double`.
    private static func appendBigEndian(_ value: UInt64, to encoded: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) {
            encoded.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }
}
