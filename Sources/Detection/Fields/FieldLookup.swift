extension JSONElement {
    /// Walks the values of the field named by `segments[start...]` below this value with
    /// Elasticsearch semantics, calling `body` for each scalar until it returns `false`.
    ///
    /// A key matches one segment (`registry`) or a dotted run of them (`registry.data`), so
    /// nested objects and dotted keys mix freely. Arrays are walked element by element at any
    /// level, which covers arrays of scalars and arrays of objects. `null` is skipped.
    /// Returns `false` when `body` stopped the walk.
    @discardableResult
    func forEachFieldValue(_ segments: [String], from start: Int, _ body: (FieldValue) -> Bool) -> Bool {
        switch type {
        case .object:
            guard start < segments.count else { return true }
            return forEachMember { key, value in
                guard let next = Self.segmentsMatched(by: key, in: segments, from: start) else {
                    return true
                }
                return value.forEachFieldValue(segments, from: next, body)
            }
        case .array:
            return forEachElement { element in
                element.forEachFieldValue(segments, from: start, body)
            }
        case .null:
            return true
        case .string, .int64, .uint64, .double, .bool:
            guard start == segments.count, let value = fieldValue else { return true }
            return body(value)
        }
    }

    /// Returns the index after the last segment that `key` spells, when `key` is
    /// `segments[start]` or several segments from `start` joined with `.`.
    static func segmentsMatched(by key: UnsafeRawBufferPointer, in segments: [String], from start: Int) -> Int? {
        var offset = 0
        var index = start
        while index < segments.count {
            var segment = segments[index]
            let matches = segment.withUTF8 { segmentBytes in
                guard offset + segmentBytes.count <= key.count else { return false }
                return segmentBytes.elementsEqual(UnsafeRawBufferPointer(rebasing: key[offset..<offset + segmentBytes.count]))
            }
            guard matches else { return nil }
            offset += segment.utf8.count
            index += 1
            if offset == key.count {
                return index
            }
            guard key[offset] == UInt8(ascii: ".") else { return nil }
            offset += 1
        }
        return nil
    }
}
