/// Checks request bodies that are decoded by other means (Foundation's `JSONDecoder`), so that
/// a syntax error is reported with the same byte offset, line and column as an event body's.
public enum JSONValidation {
    /// Returns the first syntax error in `body`, or nil when it is one valid JSON value.
    public static func firstError(in body: [UInt8], maxDepth: Int = EventDecoderLimits().maxDepth) -> EventBodyError? {
        body.withUnsafeBufferPointer { buffer in
            guard let error = JSONSyntaxScanner.firstError(in: buffer, maxDepth: maxDepth) else { return nil }
            let (line, column) = textPosition(of: error.byteOffset, in: buffer)
            return EventBodyError(kind: .invalidJSON, message: "invalid JSON: \(error.message)", byteOffset: error.byteOffset, line: line, column: column)
        }
    }
}
