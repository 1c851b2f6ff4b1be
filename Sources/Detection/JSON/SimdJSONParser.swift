import CSimdJSON

/// A simdjson DOM parser with a reusable document.
///
/// Not `Sendable`: simdjson's parser is not thread-safe, so each thread or task owns its own.
/// Every `JSONElement` it returns, and every string view taken from one, refers to the parser's
/// current document and is invalid after the next `parse` call.
final class SimdJSONParser {
    /// The number of readable bytes that must follow the input of `parse`.
    static let padding = csj_padding()

    let maxDepth: Int
    private let handle: OpaquePointer
    /// A parser with one more level, made on first use. simdjson rejects a text whose innermost
    /// non-empty array or object is at its depth limit, but accepts an empty one there, so a
    /// text of exactly `maxDepth` levels can fail with a depth error. Such a text is parsed
    /// again here once the syntax scanner has confirmed it is within `maxDepth`.
    private var deeperHandle: OpaquePointer?

    init(maxDepth: Int) {
        guard let handle = csj_parser_create(maxDepth) else {
            fatalError("simdjson parser allocation failed")
        }
        self.maxDepth = maxDepth
        self.handle = handle
    }

    deinit {
        csj_parser_destroy(handle)
        if let deeperHandle {
            csj_parser_destroy(deeperHandle)
        }
    }

    /// Parses `count` bytes at `start`, which must be followed by `padding` readable bytes.
    func parse(_ start: UnsafePointer<UInt8>, count: Int) -> Result<JSONElement, SimdJSONError> {
        var isObject = false
        return parse(start, count: count, rootIsObject: &isObject)
    }

    /// Parses like `parse(_:count:)`, and sets `rootIsObject` on success, which is cheaper
    /// than asking the root's type afterwards.
    func parse(_ start: UnsafePointer<UInt8>, count: Int, rootIsObject: inout Bool) -> Result<JSONElement, SimdJSONError> {
        var root = csj_element()
        var code = csj_parser_parse(handle, start, count, &root, &rootIsObject)
        if code != 0, csj_error_is_depth(code), let deeper = deeperParser(),
            JSONSyntaxScanner.firstError(in: UnsafeBufferPointer(start: start, count: count), maxDepth: maxDepth) == nil
        {
            code = csj_parser_parse(deeper, start, count, &root, &rootIsObject)
        }
        guard code == 0 else {
            return .failure(SimdJSONError(code: code))
        }
        return .success(JSONElement(raw: root))
    }

    private func deeperParser() -> OpaquePointer? {
        if deeperHandle == nil {
            deeperHandle = csj_parser_create(maxDepth + 1)
        }
        return deeperHandle
    }
}

/// A parse failure as simdjson reports it: a code and a message, without a position.
struct SimdJSONError: Error, CustomStringConvertible {
    let code: Int32

    var message: String { String(cString: csj_error_message(code)) }
    var isDepthError: Bool { csj_error_is_depth(code) }
    var isUTF8Error: Bool { csj_error_is_utf8(code) }
    var description: String { message }
}

/// A byte buffer followed by the zero padding that simdjson reads past the end of its input.
struct PaddedBytes {
    let count: Int
    private var storage: [UInt8]

    init(_ bytes: [UInt8]) {
        count = bytes.count
        storage = bytes
        storage.append(contentsOf: repeatElement(0, count: SimdJSONParser.padding))
    }

    /// Calls `body` with the start of the bytes. A range `start + a ..< start + b` inside `count`
    /// is a valid parser input because padding follows the whole buffer.
    func withUnsafeBytes<Result>(_ body: (UnsafePointer<UInt8>) throws -> Result) rethrows -> Result {
        try storage.withUnsafeBufferPointer { buffer in
            try body(buffer.baseAddress!)
        }
    }
}
