import Foundation

/// A compiled `regex` or `regex~` pattern that must match the whole value, as Elasticsearch's
/// regexp query does.
///
/// NOTE: Elasticsearch evaluates Lucene regular expression syntax; this uses ICU syntax through
/// NSRegularExpression. The common subset (classes, groups, alternation, `{n,m}`) agrees, but
/// Lucene's `@`, `&`, `~` and `<n-m>` operators are literal characters here.
struct EQLRegex: @unchecked Sendable {
    // NSRegularExpression is immutable after creation and documented as safe to use from
    // several threads at once.
    let expression: NSRegularExpression
    let pattern: String

    // NOTE: Foundation's NSRegularExpression leaks a copy of a long pattern (300 characters
    // leaked about 600 bytes per call; 100 did not). Patterns are compiled once per rule load,
    // so the leak is bounded; fuzz/lsan-suppressions.txt names it.
    init(_ pattern: String, caseInsensitive: Bool) throws {
        var options: NSRegularExpression.Options = [.dotMatchesLineSeparators]
        if caseInsensitive {
            options.insert(.caseInsensitive)
        }
        self.expression = try NSRegularExpression(pattern: "^(?:\(pattern))$", options: options)
        self.pattern = pattern
    }

    func matches(_ text: String) -> Bool {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return expression.firstMatch(in: text, options: [], range: range) != nil
    }

    func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        matches(String(decoding: bytes, as: UTF8.self))
    }
}
