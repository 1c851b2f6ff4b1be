import Detection
import Foundation

// libFuzzer calls the entry from one thread only.
nonisolated(unsafe) private let detector = Detector(limits: EventDecoderLimits(maxDepth: 64, maxEvents: 1000))
private let rule = try! CompiledRule(Rule.bundled())
private let exceptions = CompiledExceptions([
    (
        id: "fuzz",
        item: ExceptionItem(
            name: "fuzz",
            entries: [
                ExceptionEntry(field: "user.name", type: .wildcard, operator: .included, value: .string("adm*"), caseInsensitive: true),
                ExceptionEntry(field: "process.pid", type: .exists, operator: .excluded),
            ])
    )
])

/// Decodes the input as a request body and evaluates it with explanations. The first byte picks
/// the format (odd: NDJSON, even: JSON) and the rest is the body. Called by the libFuzzer entry
/// point in FuzzEventDecoderMain.
@_cdecl("detectd_fuzz_event_decoder")
public func fuzzEventDecoder(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else {
        return 0
    }
    let format: EventBodyFormat = data[0] & 1 == 1 ? .ndjson : .json
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    do {
        let items = try detector.evaluate(
            body, format: format, rule: rule, exceptions: exceptions, receivedAt: Date(timeIntervalSince1970: 1_700_000_000),
            explain: true)
        for item in items {
            if case .match(let alert) = item.outcome {
                precondition(!alert.id.isEmpty, "alert without id")
            }
        }
    } catch {
        precondition(error.byteOffset >= 0 && error.byteOffset <= body.count, "error offset outside the body")
    }
    return 0
}
