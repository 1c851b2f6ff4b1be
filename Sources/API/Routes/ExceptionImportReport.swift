import Detection

/// The outcome of one import, in the shape of Kibana's import response plus detectd's report of
/// dropped fields and warnings.
struct ImportReport {
    struct Failure {
        let line: Int
        let status: Int
        let message: String
        let pointer: String
    }

    var lists = 0
    /// Items created or replaced.
    var itemsWritten = 0
    /// Items equivalent to the stored item with their `item_id`, which were neither written nor
    /// audited. Like written items, they count as imported in `success_count`.
    var unchanged = 0
    var errors: [Failure] = []
    var dropped: [(line: Int, pointers: [String])] = []
    var warnings: [(line: Int, warning: ExceptionWarning)] = []

    mutating func fail(line: Int, status: Int, message: String, pointer: String) {
        errors.append(Failure(line: line, status: status, message: message, pointer: pointer))
    }

    mutating func noteDropped(line: Int, keys: [String]) {
        if !keys.isEmpty {
            dropped.append((line, keys))
        }
    }

    func encode(into json: inout JSONWriter) {
        json.beginObject()
        json.member("success", errors.isEmpty)
        json.member("success_count", itemsWritten + unchanged)
        json.member("success_exception_lists", true)
        json.member("success_count_exception_lists", lists)
        json.member("success_exception_list_items", errors.isEmpty)
        json.member("success_count_exception_list_items", itemsWritten + unchanged)
        json.member("unchanged", unchanged)

        json.key("errors")
        json.beginArray()
        for failure in errors {
            json.beginObject()
            json.member("line", failure.line)
            json.member("pointer", failure.pointer)
            json.key("error")
            json.beginObject()
            json.member("status_code", failure.status)
            json.member("message", failure.message)
            json.endObject()
            json.endObject()
        }
        json.endArray()

        json.key("dropped_fields")
        json.beginArray()
        for entry in dropped {
            json.beginObject()
            json.member("line", entry.line)
            json.member("pointers", entry.pointers)
            json.endObject()
        }
        json.endArray()

        json.key("warnings")
        json.beginArray()
        for entry in warnings {
            json.beginObject()
            json.member("line", entry.line)
            json.member("pointer", entry.warning.pointer)
            json.member("message", entry.warning.message)
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }
}
