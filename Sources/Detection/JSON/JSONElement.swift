import CSimdJSON
import Foundation

/// The kind of a JSON value, with simdjson's split of numbers into three kinds.
enum JSONType: Equatable {
    case array, object, int64, uint64, double, string, bool, null

    /// The name used in messages, such as "an array".
    var nameWithArticle: String {
        switch self {
        case .array: "an array"
        case .object: "an object"
        case .int64, .uint64, .double: "a number"
        case .string: "a string"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}

/// One value in a `SimdJSONParser`'s current document, valid until that parser parses again.
struct JSONElement {
    let raw: csj_element

    var type: JSONType {
        switch csj_element_type(raw) {
        case CSJ_ARRAY: .array
        case CSJ_OBJECT: .object
        case CSJ_INT64: .int64
        case CSJ_UINT64: .uint64
        case CSJ_DOUBLE: .double
        case CSJ_STRING: .string
        case CSJ_BOOL: .bool
        default: .null
        }
    }

    /// The UTF-8 bytes of a string, in the parser's memory.
    var stringBytes: UnsafeRawBufferPointer? {
        var start: UnsafePointer<CChar>?
        var length = 0
        guard csj_element_string(raw, &start, &length) else { return nil }
        return UnsafeRawBufferPointer(start: start, count: length)
    }

    /// A copy of a string value.
    var string: String? {
        stringBytes.map { String(decoding: $0, as: UTF8.self) }
    }

    var int64: Int64? {
        var value: Int64 = 0
        return csj_element_int64(raw, &value) ? value : nil
    }

    var uint64: UInt64? {
        var value: UInt64 = 0
        return csj_element_uint64(raw, &value) ? value : nil
    }

    /// The value of any number, converted to `Double` when it is an integer.
    var double: Double? {
        var value: Double = 0
        return csj_element_double(raw, &value) ? value : nil
    }

    var bool: Bool? {
        var value = false
        return csj_element_bool(raw, &value) ? value : nil
    }

    /// The scalar as a field value, or nil for arrays, objects and `null`.
    var fieldValue: FieldValue? {
        switch type {
        case .string: stringBytes.map(FieldValue.string)
        case .int64: int64.map(FieldValue.integer)
        case .uint64: uint64.map(FieldValue.unsignedInteger)
        case .double: double.map(FieldValue.double)
        case .bool: bool.map(FieldValue.bool)
        case .array, .object, .null: nil
        }
    }

    /// Calls `body` with each member's key bytes and value, in document order, until it
    /// returns `false`. Returns `false` when `body` stopped the walk.
    @discardableResult
    func forEachMember(_ body: (UnsafeRawBufferPointer, JSONElement) -> Bool) -> Bool {
        var iterator = csj_iterator()
        guard csj_object_begin(raw, &iterator) else { return true }
        var key: UnsafePointer<CChar>?
        var keyLength = 0
        var value = csj_element()
        while csj_object_next(&iterator, &key, &keyLength, &value) {
            if !body(UnsafeRawBufferPointer(start: key, count: keyLength), JSONElement(raw: value)) {
                return false
            }
        }
        return true
    }

    /// Calls `body` with each element of an array, in order, until it returns `false`.
    /// Returns `false` when `body` stopped the walk.
    @discardableResult
    func forEachElement(_ body: (JSONElement) -> Bool) -> Bool {
        var iterator = csj_iterator()
        guard csj_array_begin(raw, &iterator) else { return true }
        var value = csj_element()
        while csj_array_next(&iterator, &value) {
            if !body(JSONElement(raw: value)) {
                return false
            }
        }
        return true
    }

    /// Returns the first member named `key`, when this is an object that has one.
    func member(_ key: String) -> JSONElement? {
        var key = key
        return key.withUTF8 { bytes in
            var value = csj_element()
            let found = bytes.withMemoryRebound(to: CChar.self) { characters in
                csj_object_find(raw, characters.baseAddress, characters.count, &value)
            }
            return found ? JSONElement(raw: value) : nil
        }
    }

    /// Returns the first member named `key`, like `member(_:)`, without the cost of a `String`.
    func member(staticKey key: StaticString) -> JSONElement? {
        var value = csj_element()
        let found = key.utf8Start.withMemoryRebound(to: CChar.self, capacity: key.utf8CodeUnitCount) { characters in
            csj_object_find(raw, characters, key.utf8CodeUnitCount, &value)
        }
        return found ? JSONElement(raw: value) : nil
    }

    /// The number of elements of an array, or 0 for any other value.
    var arrayCount: Int { csj_array_count(raw) }

    /// Returns the value as minified JSON written by simdjson's own serializer, which is slower
    /// than `minifiedJSON()` and writes the same bytes; tests compare the two.
    func minifiedJSONBySimdJSON() -> String {
        let length = csj_minify(raw, nil, 0)
        precondition(length >= 0, "memory allocation for minified JSON failed")
        return String(unsafeUninitializedCapacity: length) { storage in
            storage.withMemoryRebound(to: CChar.self) { csj_minify(raw, $0.baseAddress, length) }
        }
    }

    /// The length of the longest text that the calling thread's minify buffer has kept since it
    /// was made or last freed. After a text longer than `minifyKeptTextLimit`, it is freed.
    static var minifyBufferLongestText: Int { csj_minify_longest_kept() }

    /// The longest minified text, in bytes, for which a thread keeps its buffer.
    static var minifyKeptTextLimit: Int { Int(CSJ_MINIFY_KEPT_TEXT_BYTES) }

    /// Returns the value as minified JSON text.
    func minifiedJSON() -> String {
        var length = 0
        guard let text = csj_minify_view(raw, &length) else {
            fatalError("memory allocation for minified JSON failed")
        }
        // One copy, straight from simdjson's builder into the string's storage.
        let json = String(unsafeUninitializedCapacity: length) { storage in
            UnsafeMutableRawBufferPointer(storage).copyMemory(from: UnsafeRawBufferPointer(start: text, count: length))
            return length
        }
        csj_minify_release_large()
        return json
    }
}
