/// Checks request bodies that are decoded by other means (Foundation's `JSONDecoder`), so that
/// a syntax error is reported with the same byte offset, line and column as an event body's.
public enum JSONValidation {
    /// Returns the first syntax error in `body`, or the first string longer than
    /// `maxStringBytes`, or nil when it is one valid JSON value within the limits.
    public static func firstError(
        in body: [UInt8],
        maxDepth: Int = EventDecoderLimits().maxDepth,
        maxStringBytes: Int = EventDecoderLimits().maxStringBytes
    ) -> EventBodyError? {
        body.withUnsafeBufferPointer { buffer in
            if let error = JSONSyntaxScanner.firstError(in: buffer, maxDepth: maxDepth) {
                let (line, column) = textPosition(of: error.byteOffset, in: buffer)
                return EventBodyError(
                    kind: .invalidJSON, message: "invalid JSON: \(error.message)", byteOffset: error.byteOffset,
                    line: line, column: column, limit: error.limit)
            }
            if let offset = JSONStringLength.firstStringLonger(than: maxStringBytes, in: buffer) {
                let (line, column) = textPosition(of: offset, in: buffer)
                return EventBodyError(
                    kind: .invalidJSON, message: "string longer than \(maxStringBytes) bytes", byteOffset: offset,
                    line: line, column: column, limit: .maxStringBytes(maxStringBytes))
            }
            return nil
        }
    }
}
