import Detection
import Foundation

/// The event every fuzzed query is evaluated against: nested objects, a dotted key, arrays,
/// numbers, a Boolean and null, so that the evaluator's paths run too.
private let sampleEvent = Array(
    #"""
    {"@timestamp":"2024-03-01T10:00:00Z","event":{"category":["registry","process"],"type":"change","code":"13"},
     "registry.path":"HKLM\\SYSTEM\\CurrentControlSet\\Services\\PortProxy\\v4tov4\\tcp\\0.0.0.0/8443",
     "process":{"name":"netsh.exe","pid":4242,"args":["add","v4tov4"],"elevated":true,"parent":null},
     "source":{"ip":"10.1.2.3"},"user":{"name":"Ädmin"}}
    """#.utf8)

// libFuzzer calls the entry from one thread only.
nonisolated(unsafe) private let decoder = EventDecoder()

/// Parses the input as an EQL query and, when it compiles, evaluates and explains it against a
/// sample event. Called by the libFuzzer entry point in FuzzEQLParserMain.
@_cdecl("detectd_fuzz_eql_parser")
public func fuzzEQLParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else {
        return 0
    }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let query: EQLQuery
    do {
        query = try EQLQuery.parse(text)
    } catch {
        // Every error must carry a position inside the query.
        precondition(error.offset >= 0 && error.offset <= text.utf8.count, "error offset outside the query")
        _ = error.description
        return 0
    }
    try? decoder.decode(sampleEvent, format: .json) { item in
        if case .event(let event) = item {
            _ = query.matches(event)
            _ = query.explain(event)
        }
    }
    return 0
}
