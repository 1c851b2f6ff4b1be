import Detection
import Foundation

// Runs detectd's engine alone over an NDJSON file, on one thread: decoding with simdjson, the
// bundled rule (or --rule FILE) and ten exception items, in request-sized batches.
// Prints "events=N matches=M suppressed=S seconds=T"; matches counts unsuppressed alerts and
// seconds is the thread's CPU time for the fastest of --repeat runs.

let usage = "usage: detectd-bench-engine FILE.ndjson [--rule FILE] [--batch EVENTS] [--repeat COUNT]"
var arguments = Array(CommandLine.arguments.dropFirst())
var rulePath: String?
var batchSize = 10_000
var repeatCount = 1
var inputPath: String?

while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    switch argument {
    case "--rule":
        rulePath = arguments.isEmpty ? nil : arguments.removeFirst()
    case "--batch":
        batchSize = arguments.isEmpty ? 0 : Int(arguments.removeFirst()) ?? 0
    case "--repeat":
        repeatCount = arguments.isEmpty ? 0 : Int(arguments.removeFirst()) ?? 0
    default:
        inputPath = argument
    }
}
guard let inputPath, batchSize > 0, repeatCount > 0 else {
    FileHandle.standardError.write(Data((usage + "\n").utf8))
    exit(2)
}

/// Ten exception items of the kinds analysts write for this rule; none of them holds for the
/// benchmark's events, so every item is evaluated in full for each match.
let exceptionItems: [(id: String, item: ExceptionItem)] = [
    (
        "user",
        ExceptionItem(
            name: "network team",
            entries: [
                ExceptionEntry(field: "user.name", type: .match, operator: .included, value: .string("netops"))
            ])
    ),
    (
        "hosts",
        ExceptionItem(
            name: "jump hosts",
            entries: [
                ExceptionEntry(field: "host.name", type: .matchAny, operator: .included, value: .list(["JUMP-01", "JUMP-02", "JUMP-03"]))
            ])
    ),
    (
        "netsh",
        ExceptionItem(
            name: "scripted netsh",
            entries: [
                ExceptionEntry(
                    field: "process.executable", type: .wildcard, operator: .included,
                    value: .string("C:\\\\Windows\\\\System32\\\\netsh.exe")),
                ExceptionEntry(
                    field: "process.command_line", type: .wildcard, operator: .included,
                    value: .string("*connectaddress=192.0.2.200*")),
            ])
    ),
    (
        "listen",
        ExceptionItem(
            name: "local listener",
            entries: [
                ExceptionEntry(
                    field: "registry.path", type: .wildcard, operator: .included,
                    value: .string("*\\\\v4tov4\\\\tcp\\\\127.0.0.1/9999"), caseInsensitive: true)
            ])
    ),
    (
        "linux",
        ExceptionItem(
            name: "not windows",
            entries: [
                ExceptionEntry(field: "host.os.type", type: .match, operator: .included, value: .string("linux"))
            ])
    ),
    (
        "agent",
        ExceptionItem(
            name: "test agent",
            entries: [
                ExceptionEntry(field: "agent.type", type: .match, operator: .included, value: .string("test-agent")),
                ExceptionEntry(field: "user.name", type: .exists, operator: .included),
            ])
    ),
    (
        "strings",
        ExceptionItem(
            name: "lab target",
            entries: [
                ExceptionEntry(
                    field: "registry.data.strings", type: .matchAny, operator: .included,
                    value: .list(["198.51.100.1/22", "198.51.100.2/22"]))
            ])
    ),
    (
        "domain",
        ExceptionItem(
            name: "lab domain",
            entries: [
                ExceptionEntry(field: "user.domain", type: .match, operator: .included, value: .string("LAB"), caseInsensitive: true)
            ])
    ),
    (
        "excluded",
        ExceptionItem(
            name: "signed tools only",
            entries: [
                ExceptionEntry(field: "process.code_signature.trusted", type: .exists, operator: .excluded),
                ExceptionEntry(field: "event.module", type: .match, operator: .included, value: .string("endpoint")),
            ])
    ),
    (
        "expired",
        ExceptionItem(
            name: "expired change window",
            entries: [
                ExceptionEntry(field: "user.name", type: .wildcard, operator: .included, value: .string("*"))
            ],
            expireTime: "2020-01-01T00:00:00Z")
    ),
]

/// Splits an NDJSON file into request bodies of `batchSize` lines, as the HTTP server would
/// hand them over.
func splitIntoBatches(_ contents: [UInt8], batchSize: Int) -> [[UInt8]] {
    var batches: [[UInt8]] = []
    var lineCount = 0
    var batchStart = 0
    for index in contents.indices where contents[index] == UInt8(ascii: "\n") {
        lineCount += 1
        if lineCount % batchSize == 0 {
            batches.append(Array(contents[batchStart...index]))
            batchStart = index + 1
        }
    }
    if batchStart < contents.count {
        batches.append(Array(contents[batchStart...]))
    }
    return batches
}

struct RunResult {
    var events = 0
    var matches = 0
    var suppressed = 0
    var seconds = 0.0
}

/// Evaluates every batch once and times it. Counters are locals, so the loop measures the
/// engine and not global-variable access checks.
func run(_ batches: [[UInt8]], detector: Detector, rule: CompiledRule, exceptions: CompiledExceptions) throws -> RunResult {
    var result = RunResult()
    let receivedAt = Date()
    let start = threadCPUSeconds()
    for batch in batches {
        let items = try detector.evaluate(batch, format: .ndjson, rule: rule, exceptions: exceptions, receivedAt: receivedAt)
        result.events += items.count
        for item in items.itemsExceptNoMatch {
            switch item.outcome {
            case .match: result.matches += 1
            case .suppressed: result.suppressed += 1
            case .noMatch, .outOfScope: break
            case .invalid(let reason):
                FileHandle.standardError.write(Data("invalid event at \(item.position): \(reason)\n".utf8))
                exit(1)
            }
        }
    }
    result.seconds = threadCPUSeconds() - start
    return result
}

/// The CPU time this thread has used. Other processes on a busy machine stretch wall-clock
/// time but not this, so it is the fairer measure of one thread's work.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

do {
    let rule = try CompiledRule(rulePath.map { try Rule.load(contentsOf: URL(fileURLWithPath: $0)) } ?? Rule.bundled())
    let exceptions = CompiledExceptions(exceptionItems)
    guard exceptions.count == exceptionItems.count else {
        FileHandle.standardError.write(Data("an exception item failed validation\n".utf8))
        exit(1)
    }
    let contents = try [UInt8](Data(contentsOf: URL(fileURLWithPath: inputPath)))
    let batches = splitIntoBatches(contents, batchSize: batchSize)
    let detector = Detector(limits: EventDecoderLimits(maxEvents: batchSize + 1))

    // The fastest of the runs is reported: the others differ only by interference.
    var best = try run(batches, detector: detector, rule: rule, exceptions: exceptions)
    for _ in 1..<repeatCount {
        let result = try run(batches, detector: detector, rule: rule, exceptions: exceptions)
        if result.seconds < best.seconds {
            best = result
        }
    }
    print("events=\(best.events) matches=\(best.matches) suppressed=\(best.suppressed) seconds=\(String(format: "%.3f", best.seconds))")
} catch {
    FileHandle.standardError.write(Data("detectd-bench-engine: \(error)\n".utf8))
    exit(1)
}
