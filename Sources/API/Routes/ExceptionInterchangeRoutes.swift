import Detection
import Foundation
import HTTPServer
import Storage

/// Kibana's exception list export format: NDJSON with one line per exception list, then one per
/// item, then a summary line with the counts.
enum KibanaExceptionExport {
    /// The list that items without a `list_id` are exported under.
    static let defaultListID = "detectd-exceptions"
    /// Keys of a list line that detectd keeps: a list is only the `list_id` of its items here.
    static let understoodListKeys: Set<String> = ["list_id", "type", "namespace_type"]

    /// Reports whether `incoming` is the same item as the stored `document`. Both are compared
    /// as decoded items, so key order and spacing do not count. A missing `list_id`
    /// equals `defaultListID`, because the export writes such items under that list, so
    /// importing detectd's own export changes nothing. A document that does not decode is
    /// never equivalent, so an import replaces it.
    static func isEquivalent(_ incoming: ExceptionItem, toStored document: String) -> Bool {
        guard var stored = try? JSONDecoder().decode(ExceptionItem.self, from: Data(document.utf8)) else {
            return false
        }
        var incoming = incoming
        stored.listID = stored.listID ?? defaultListID
        incoming.listID = incoming.listID ?? defaultListID
        return stored == incoming
    }
}

extension DetectionService {
    /// `GET /exceptions/_export`: every stored item as a Kibana exception list export, grouped
    /// into one list line per `list_id`.
    func exportExceptions(_ request: HTTPRequest) async throws -> HTTPResponse {
        try rejectUnknownParameters(request, allowed: [])
        let records = try await database.exceptions()

        var lists: [(listID: String, items: [(ExceptionRecord, ExceptionItem)])] = []
        for record in records {
            guard let item = try? JSONDecoder().decode(ExceptionItem.self, from: Data(record.document.utf8)) else {
                logger.error("stored exception item could not be decoded; it is not exported", ["exception_id": record.id])
                continue
            }
            let listID = item.listID ?? KibanaExceptionExport.defaultListID
            if let index = lists.firstIndex(where: { $0.listID == listID }) {
                lists[index].items.append((record, item))
            } else {
                lists.append((listID, [(record, item)]))
            }
        }

        var text = ""
        var itemCount = 0
        for list in lists {
            var json = JSONWriter()
            json.beginObject()
            json.member("list_id", list.listID)
            json.member("name", list.listID)
            json.member("description", "Exception items exported from detectd")
            json.member("type", "detection")
            json.member("namespace_type", list.items.first?.1.namespaceType ?? "single")
            json.member("os_types", [String]())
            json.member("tags", [String]())
            json.member("immutable", false)
            json.member("version", 1)
            json.endObject()
            text += json.text + "\n"

            for (record, item) in list.items {
                var exported = item
                exported.listID = list.listID
                var head = JSONWriter()
                head.beginObject()
                head.member("id", record.id)
                head.member("created_at", rfc3339(milliseconds: record.createdAtMilliseconds))
                head.member("updated_at", rfc3339(milliseconds: record.updatedAtMilliseconds))
                head.endObject()
                text += appendingMembers(of: try ExceptionJSON.document(exported), to: head.text) + "\n"
                itemCount += 1
            }
        }
        var summary = JSONWriter()
        summary.beginObject()
        summary.member("exported_exception_list_count", lists.count)
        summary.member("exported_exception_list_item_count", itemCount)
        summary.member("missing_exception_list_item_count", 0)
        summary.member("missing_exception_list_items", [String]())
        summary.member("missing_exception_lists", [String]())
        summary.member("missing_exception_lists_count", 0)
        summary.endObject()
        text += summary.text + "\n"

        var response = HTTPResponse(status: 200, body: Array(text.utf8))
        response.headers.set("Content-Type", "application/x-ndjson")
        response.headers.set("Content-Disposition", "attachment; filename=\"exceptions_export.ndjson\"")
        return response
    }

    /// `POST /exceptions/_import`: stores the items of a Kibana exception list export.
    ///
    /// Every line is handled on its own, as Kibana does: an invalid item or an `item_id` that
    /// already exists is reported with its line and the rest is imported. `?overwrite=true`
    /// replaces existing items with the same `item_id`. An existing item equivalent to the
    /// incoming one counts as imported but is neither written nor audited, and `unchanged`
    /// gives the number of such items. The response lists, per line, the keys that detectd
    /// does not keep.
    func importExceptions(_ request: HTTPRequest) async throws -> HTTPResponse {
        let overwrite = try booleanParameter("overwrite", in: request) ?? false
        try rejectUnknownParameters(request, allowed: ["overwrite"])
        try ExceptionImportMediaType.check(request)
        let lines = try Self.interchangeLines(request.body)

        var existing: [String: ExceptionRecord] = [:]
        for record in try await database.exceptions() {
            existing[record.itemID] = record
        }

        var report = ImportReport()
        for (number, object) in lines {
            switch Self.lineKind(object) {
            case .summary:
                continue
            case .list:
                report.lists += 1
                report.noteDropped(line: number, keys: Self.droppedListKeys(object))
            case .item:
                await importItem(object, line: number, overwrite: overwrite, actor: actor(of: request), existing: &existing, report: &report)
            }
        }
        if report.itemsWritten > 0 {
            try await reloadExceptions()
        }
        logger.info(
            "exceptions imported",
            ["written": "\(report.itemsWritten)", "unchanged": "\(report.unchanged)", "errors": "\(report.errors.count)"])
        return .json { json in report.encode(into: &json) }
    }

    private func importItem(
        _ object: [String: Any],
        line: Int,
        overwrite: Bool,
        actor: String,
        existing: inout [String: ExceptionRecord],
        report: inout ImportReport
    ) async {
        let item: ExceptionItem
        do {
            let data = try JSONSerialization.data(withJSONObject: object)
            item = try JSONDecoder().decode(ExceptionItem.self, from: data)
            try item.validate()
        } catch let error as ExceptionValidationError {
            report.fail(line: line, status: 422, message: error.message, pointer: error.pointer)
            return
        } catch let error as DecodingError {
            let problem = APIProblem.decoding(error)
            report.fail(line: line, status: 422, message: problem.detail, pointer: Self.pointer(of: error))
            return
        } catch {
            report.fail(line: line, status: 422, message: "the item does not have the shape of a Kibana exception item: \(error)", pointer: "")
            return
        }
        report.noteDropped(line: line, keys: Self.droppedItemKeys(object))

        var stored = item
        if stored.itemID?.isEmpty ?? true {
            stored.itemID = UUID().uuidString.lowercased()
        }
        let itemID = stored.itemID ?? ""
        let now = epochMilliseconds(Date())
        let context = AuditContext(actor: actor, atMilliseconds: now)
        do {
            if let other = try await database.exception(id: itemID), other.id != existing[itemID]?.id {
                report.fail(line: line, status: 409, message: APIProblem.itemIDNamesOtherItem(itemID).detail, pointer: "/item_id")
                return
            }
            let document = try ExceptionJSON.document(stored)
            var isStored = false
            if let previous = existing[itemID] {
                guard overwrite else {
                    report.fail(
                        line: line, status: 409,
                        message: "an exception item with item_id '\(APIProblem.excerpt(itemID))' already exists; import with ?overwrite=true to replace it",
                        pointer: "/item_id")
                    return
                }
                let record = ExceptionRecord(
                    id: previous.id, itemID: itemID, document: document,
                    createdAtMilliseconds: previous.createdAtMilliseconds, updatedAtMilliseconds: now)
                let incoming = stored
                let replacement = try await database.replaceException(record, context: context) { current in
                    KibanaExceptionExport.isEquivalent(incoming, toStored: current.document)
                }
                switch replacement {
                case .replaced:
                    existing[itemID] = record
                    report.itemsWritten += 1
                    isStored = true
                case .unchanged:
                    report.unchanged += 1
                    isStored = true
                case .notFound:
                    // The item was deleted after the import read the stored items, so it is stored as a new one.
                    break
                }
            }
            if !isStored {
                let record = ExceptionRecord(
                    id: UUID().uuidString.lowercased(), itemID: itemID, document: document,
                    createdAtMilliseconds: now, updatedAtMilliseconds: now)
                try await database.insertException(record, context: context)
                existing[itemID] = record
                report.itemsWritten += 1
            }
            report.warnings += stored.warnings().map { (line, $0) }
        } catch {
            logger.error("exception import failed", ["line": "\(line)", "item_id": itemID, "error": "\(error)"])
            report.fail(line: line, status: 500, message: "the item could not be stored", pointer: "")
        }
    }

    enum InterchangeLineKind {
        case list, item, summary
    }

    static func lineKind(_ object: [String: Any]) -> InterchangeLineKind {
        if object["exported_exception_list_count"] != nil || object["exported_exception_list_item_count"] != nil {
            return .summary
        }
        if object["entries"] != nil || object["item_id"] != nil || (object["type"] as? String) == "simple" {
            return .item
        }
        return .list
    }

    /// Splits an NDJSON body into its JSON objects with their 1-based line numbers; a line that is
    /// not a JSON object is a 400, because the file is then not an export at all.
    static func interchangeLines(_ body: [UInt8]) throws -> [(line: Int, object: [String: Any])] {
        var result: [(line: Int, object: [String: Any])] = []
        for (index, line) in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) else {
                continue
            }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                throw notAnObjectProblem(line: index + 1, text: Array(line), startingAt: line.startIndex)
            }
            result.append((index + 1, object))
        }
        guard !result.isEmpty else {
            throw APIProblem.badRequest("The import is empty. Send a Kibana exception list export as NDJSON.")
        }
        return result
    }

    /// Returns the 400 for an import line that is not a JSON object. The problem gives the syntax
    /// error's byte offset in the body when there is one. When the line has several JSON values,
    /// as after `curl -d` has joined the lines, it also explains how to send the file.
    private static func notAnObjectProblem(line: Int, text: [UInt8], startingAt lineStart: Int) -> APIProblem {
        let export = "Send a Kibana exception list export: NDJSON with the list line, then one line per item."
        guard let error = JSONValidation.firstError(in: text) else {
            return .badRequest("Line \(line) of the import is not a JSON object. \(export)", [("line", "\(line)")])
        }
        let joined =
            error.message.contains("after the JSON value")
            ? " The line has several JSON values: \(DetectionService.joinedLinesAdvice)."
            : ""
        let prefix = "invalid JSON: "
        let message = error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message
        return .badRequest(
            "Line \(line) of the import is not valid JSON: \(message).\(joined) \(export)",
            [("line", "\(line)"), ("column", "\(error.column)"), ("byte_offset", "\(lineStart + error.byteOffset)")])
    }

    /// JSON pointers to the keys of an item line that detectd does not keep.
    static func droppedItemKeys(_ object: [String: Any]) -> [String] {
        ExceptionDroppedFields.pointers(in: object)
    }

    static func droppedListKeys(_ object: [String: Any]) -> [String] {
        object.keys.sorted().filter { !KibanaExceptionExport.understoodListKeys.contains($0) }.map {
            "/" + ExceptionDroppedFields.escapePointerToken($0)
        }
    }

    /// Returns the RFC 6901 pointer of the value that `error` is about, relative to the item.
    static func pointer(of error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            APIProblem.jsonPointer(context.codingPath + [key])
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            APIProblem.jsonPointer(context.codingPath)
        @unknown default:
            ""
        }
    }
}
