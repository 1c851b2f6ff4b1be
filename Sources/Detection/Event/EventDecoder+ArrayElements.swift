extension EventDecoder {
    /// Decodes a JSON body that is an array, one element at a time, when the array as a whole
    /// breaks an input limit. An element with a number out of range, invalid UTF-8, a string
    /// over `limits.maxStringBytes` or nesting past `limits.maxDepth` (counted from the body)
    /// becomes an invalid item, and the other elements are evaluated, as the lines of an NDJSON
    /// body are. Log shippers send batches as JSON arrays, and one odd field should not lose the
    /// batch.
    ///
    /// Returns false, having visited nothing, when the body is not an array or has a fault that
    /// is no input limit, such as a missing comma: the whole body is then rejected as before.
    func decodeArrayElementByElement(
        _ padded: PaddedBytes, body: [UInt8], expecting: (Int) -> Void, _ visit: (EventItem) -> Void
    ) throws(EventBodyError) -> Bool {
        let elements: [(range: Range<Int>, fault: String?)]? = body.withUnsafeBufferPointer { bytes in
            guard let ranges = Self.topLevelElementRanges(in: bytes) else {
                return nil
            }
            var elements: [(range: Range<Int>, fault: String?)] = []
            elements.reserveCapacity(ranges.count)
            for range in ranges {
                let text = UnsafeBufferPointer(rebasing: bytes[range])
                // Inside the array, an element has one level less to spend.
                switch JSONSyntaxScanner.check(text, maxDepth: limits.maxDepth - 1) {
                case .invalid:
                    return nil
                case .breaksLimit(let error):
                    let message: String
                    if case .maxDepth = error.limit {
                        message = "nesting deeper than \(limits.maxDepth) arrays and objects (counted from the body's array)"
                    } else {
                        message = error.message
                    }
                    elements.append((range, "\(message) at byte offset \(range.lowerBound + error.byteOffset) of the body"))
                case .valid:
                    if let offset = JSONStringLength.firstStringLonger(than: limits.maxStringBytes, in: text) {
                        let fault = "string longer than \(limits.maxStringBytes) bytes at byte offset \(range.lowerBound + offset) of the body"
                        elements.append((range, fault))
                    } else {
                        elements.append((range, nil))
                    }
                }
            }
            return elements
        }
        guard let elements else {
            return false
        }
        try checkCount(elements.count, body: body)
        expecting(elements.count)
        padded.withUnsafeBytes { start in
            for (index, element) in elements.enumerated() {
                let position = EventPosition.index(index)
                if let fault = element.fault {
                    visit(.invalid(position, reason: fault))
                    continue
                }
                // The padded copy of the body follows each element with enough readable bytes.
                var isObject = false
                switch parser.parse(start + element.range.lowerBound, count: element.range.count, rootIsObject: &isObject) {
                case .success(let root) where isObject:
                    visit(item(for: root, at: position))
                case .success(let root):
                    visit(.invalid(position, reason: "expected an event object, found \(root.type.nameWithArticle)"))
                case .failure(let failure):
                    visit(.invalid(position, reason: "\(failure.message) at byte offset \(element.range.lowerBound) of the body"))
                }
            }
        }
        return true
    }

    /// Returns the byte ranges of the elements of a text that is one JSON array, each without
    /// the whitespace around it, or nil when the text is not an array or its brackets, braces
    /// and quotes do not pair up. The elements themselves are not checked.
    static func topLevelElementRanges(in bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>]? {
        func isWhitespace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
        }
        var offset = 0
        while offset < bytes.count, isWhitespace(bytes[offset]) {
            offset += 1
        }
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "[") else {
            return nil
        }
        offset += 1
        var ranges: [Range<Int>] = []
        var depth = 0
        var inString = false
        var elementStart: Int?
        var lastNonWhitespace = offset
        while offset < bytes.count {
            let byte = bytes[offset]
            if inString {
                if byte == UInt8(ascii: "\\") {
                    offset += 1
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                lastNonWhitespace = offset
                offset += 1
                continue
            }
            switch byte {
            case _ where isWhitespace(byte):
                offset += 1
                continue
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
            case UInt8(ascii: "]") where depth == 0:
                if let start = elementStart {
                    ranges.append(start..<(lastNonWhitespace + 1))
                } else if !ranges.isEmpty {
                    return nil
                }
                offset += 1
                while offset < bytes.count, isWhitespace(bytes[offset]) {
                    offset += 1
                }
                return offset == bytes.count ? ranges : nil
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
                guard depth >= 0 else {
                    return nil
                }
            case UInt8(ascii: ",") where depth == 0:
                guard let start = elementStart else {
                    return nil
                }
                ranges.append(start..<(lastNonWhitespace + 1))
                elementStart = nil
                offset += 1
                continue
            default:
                break
            }
            if elementStart == nil {
                elementStart = offset
            }
            lastNonWhitespace = offset
            offset += 1
        }
        return nil
    }
}
