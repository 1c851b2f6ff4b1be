import Foundation
import Testing

@testable import Detection

/// A field value copied out of the parser, so tests can compare it after the visit ends.
enum CopiedValue: Equatable, CustomStringConvertible {
    case string(String)
    case integer(Int64)
    case unsignedInteger(UInt64)
    case double(Double)
    case bool(Bool)

    init(_ value: FieldValue) {
        switch value {
        case .string(let bytes): self = .string(String(decoding: bytes, as: UTF8.self))
        case .integer(let value): self = .integer(value)
        case .unsignedInteger(let value): self = .unsignedInteger(value)
        case .double(let value): self = .double(value)
        case .bool(let value): self = .bool(value)
        }
    }

    var description: String {
        switch self {
        case .string(let value): "\"\(value)\""
        case .integer(let value): "\(value)"
        case .unsignedInteger(let value): "\(value)u"
        case .double(let value): "\(value)"
        case .bool(let value): "\(value)"
        }
    }
}

/// What a test needs from one decoded item, copied while the item is still valid.
struct DecodedItem {
    var position: EventPosition
    var invalidReason: String?
    var sourceJSON: String?
    var identity: EventIdentity?
    var searchHitIndex: String?
    var searchHitID: String?
}

/// Decodes `body` and copies what tests check from each item.
func decodeItems(_ body: String, format: EventBodyFormat = .json, limits: EventDecoderLimits = .init()) throws -> [DecodedItem] {
    try decodeItems(Array(body.utf8), format: format, limits: limits)
}

func decodeItems(_ body: [UInt8], format: EventBodyFormat = .json, limits: EventDecoderLimits = .init()) throws -> [DecodedItem] {
    var items: [DecodedItem] = []
    try EventDecoder(limits: limits).decode(body, format: format) { item in
        switch item {
        case .event(let event):
            let hit = event.searchHit
            items.append(
                DecodedItem(
                    position: event.position, sourceJSON: event.sourceJSON(), identity: event.identity(),
                    searchHitIndex: hit?.index, searchHitID: hit?.id))
        case .invalid(let position, let reason):
            items.append(DecodedItem(position: position, invalidReason: reason))
        }
    }
    return items
}

/// Returns the values of `field` in the single event of the JSON text `body`.
func fieldValues(_ field: String, in body: String) throws -> [CopiedValue] {
    var values: [CopiedValue] = []
    var events = 0
    try EventDecoder().decode(Array(body.utf8), format: .json) { item in
        guard case .event(let event) = item else { return }
        events += 1
        event.forEachValue(of: FieldPath(field)) { value in
            values.append(CopiedValue(value))
            return true
        }
    }
    #expect(events == 1)
    return values
}

/// Runs `body` on the single event of the JSON text `json` and returns its result.
func withEvent<Result>(_ json: String, _ body: (Event) -> Result) throws -> Result? {
    var result: Result?
    try EventDecoder().decode(Array(json.utf8), format: .json) { item in
        if case .event(let event) = item {
            result = body(event)
        }
    }
    return result
}

/// Returns the decode error for `body`, or nil when it decodes.
func bodyError(_ body: [UInt8], format: EventBodyFormat = .json, limits: EventDecoderLimits = .init()) -> EventBodyError? {
    do {
        try EventDecoder(limits: limits).decode(body, format: format) { _ in }
        return nil
    } catch {
        return error
    }
}

func bodyError(_ body: String, format: EventBodyFormat = .json, limits: EventDecoderLimits = .init()) -> EventBodyError? {
    bodyError(Array(body.utf8), format: format, limits: limits)
}

enum Corpus {
    static var directory: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("corpus")
    }

    static var eventFiles: [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".ndjson") }.sorted().map { directory.appendingPathComponent($0) }
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// Returns the 1-based `line` of a corpus file.
    static func line(_ line: Int, of name: String) throws -> String {
        let text = String(decoding: try bytes(name), as: UTF8.self)
        return String(text.split(separator: "\n", omittingEmptySubsequences: false)[line - 1])
    }
}
