import Detection
import Foundation
import HTTPServer
import Storage

extension DetectionService {
    static let defaultExceptionLimit = 100

    /// `GET /exceptions`: stored exception items, oldest first, with keyset paging through an
    /// opaque cursor as in `GET /alerts`, and the number of items on all pages in `total`.
    /// The list is short enough to count every time, so `total` is always given; `total=true`,
    /// which `GET /alerts` needs for it, is accepted and changes nothing.
    func listExceptions(_ request: HTTPRequest) async throws -> HTTPResponse {
        try rejectUnknownParameters(request, allowed: ["limit", "cursor", "total"])
        _ = try booleanParameter("total", in: request)
        let query = ExceptionQuery(
            limit: try integerParameter("limit", in: request, range: ExceptionQuery.limitRange) ?? Self.defaultExceptionLimit,
            cursor: try singleParameter("cursor", in: request)
        )

        let page: ExceptionPage
        do {
            page = try await database.exceptionPage(query)
        } catch {
            guard case .invalidCursor(let cursor, let reason) = error else { throw error }
            throw APIProblem.invalidParameter("cursor", value: cursor, expected: "\(reason); pass the next_cursor value of an earlier response unchanged")
        }
        return .json { json in
            json.beginObject()
            json.key("data")
            json.beginArray()
            for record in page.records {
                json.raw(ExceptionJSON.render(record))
            }
            json.endArray()
            json.key("next_cursor")
            if let cursor = page.nextCursor { json.string(cursor) } else { json.null() }
            json.key("total"); json.number(page.total)
            json.endObject()
        }
    }

    /// `GET /exceptions/{id}`: one item, found by detectd's `id` or by Kibana's `item_id`.
    func getException(_ request: HTTPRequest) async throws -> HTTPResponse {
        try rejectUnknownParameters(request, allowed: [])
        let record = try await addressedException(request)
        return .json(text: ExceptionJSON.render(record))
    }

    /// Returns the item that the path's `{id}` names: the item with that `id`, else the item
    /// with that `item_id`. The `id` match wins, but `rejectItemIDNamingOtherItem` keeps new
    /// items from making that choice necessary.
    private func addressedException(_ request: HTTPRequest) async throws -> ExceptionRecord {
        let key = request.pathParameters["id"] ?? ""
        guard let record = try await database.exception(idOrItemID: key) else {
            throw APIProblem.exceptionNotFound(key)
        }
        return record
    }

    /// Rejects an `item_id` that is the `id` of another item, because `/exceptions/{id}` would
    /// then name two items.
    ///
    /// The check runs before the write transaction. That is enough because an `id` is a random
    /// UUID that detectd assigns, so no concurrent request can create an item whose `id` a
    /// client already uses as an `item_id`.
    func rejectItemIDNamingOtherItem(_ itemID: String, ownID: String) async throws {
        guard let other = try await database.exception(id: itemID), other.id != ownID else {
            return
        }
        throw APIProblem.itemIDNamesOtherItem(itemID)
    }

    /// `POST /exceptions`: validates and stores a Kibana exception item. It applies to every
    /// request that starts after the response. With `"close_matching_alerts": true`, the rule's
    /// open and acknowledged alerts that the item matches are closed in the same transaction.
    func createException(_ request: HTTPRequest) async throws -> HTTPResponse {
        try rejectUnknownParameters(request, allowed: [])
        var item = try decodeExceptionItem(request)
        let options = try JSONRequestBody.decode(ExceptionCreateOptions.self, from: request)
        if item.itemID?.isEmpty ?? true {
            item.itemID = UUID().uuidString.lowercased()
        }

        let now = epochMilliseconds(Date())
        let record = ExceptionRecord(
            id: UUID().uuidString.lowercased(),
            itemID: item.itemID ?? "",
            document: try ExceptionJSON.document(item),
            createdAtMilliseconds: now,
            updatedAtMilliseconds: now
        )
        try await rejectItemIDNamingOtherItem(record.itemID, ownID: record.id)
        let closing = options.closeMatchingAlerts == true ? alertClosing(for: item, id: record.id) : nil
        let closedAlerts: Int
        do {
            closedAlerts = try await database.insertException(
                record, context: AuditContext(actor: actor(of: request), atMilliseconds: now), closing: closing)
        } catch {
            guard case .duplicateExceptionItemID = error else { throw error }
            throw APIProblem(
                status: 409,
                title: "Conflict",
                detail:
                    "An exception item with item_id '\(APIProblem.excerpt(record.itemID))' already exists; use another item_id or replace it with PUT /exceptions/{id}.",
                members: [("pointer", JSONWriter.quoted("/item_id"))]
            )
        }
        try await reloadExceptions()
        logger.info("exception created", ["exception_id": record.id, "item_id": record.itemID, "closed_alerts": "\(closedAlerts)"])

        let dropped = ExceptionDroppedFields.warnings(in: request.body, requestOptions: ExceptionCreateOptions.keys)
        var text = ExceptionJSON.render(record, warnings: item.warnings().map(ResponseWarning.init) + dropped)
        if closing != nil {
            text = appendingMembers(of: text, to: "{\"closed_alerts\":\(closedAlerts)}")
        }
        var response = HTTPResponse.json(status: 201, text: text)
        response.headers.set("Location", "/exceptions/\(record.id)")
        return response
    }

    /// Closes the alerts whose stored event `item` matches, decoding each event with the same
    /// decoder and exception matcher that evaluation uses.
    private func alertClosing(for item: ExceptionItem, id: String) -> AlertClosing {
        let exceptions = CompiledExceptions([(id, item)])
        let limits = self.limits
        return AlertClosing(ruleID: rule.rule.ruleID, reason: "closed by exception item \(id)") {
            let decoder = EventDecoder(limits: limits)
            let now = Date()
            return { eventJSON in
                var matched = false
                try? decoder.decode(Array(eventJSON.utf8), format: .json) { decoded in
                    if case .event(let event) = decoded, exceptions.firstMatch(event, now: now) != nil {
                        matched = true
                    }
                }
                return matched
            }
        }
    }

    /// `PUT /exceptions/{id}`: replaces an item, found by `id` or `item_id`, as a whole; its id
    /// and creation time stay. An item equal to the stored one is left as it is, with no audit
    /// entry.
    func replaceException(_ request: HTTPRequest) async throws -> HTTPResponse {
        try rejectUnknownParameters(request, allowed: [])
        var item = try decodeExceptionItem(request)
        let existing = try await addressedException(request)
        let id = existing.id
        if item.itemID?.isEmpty ?? true {
            item.itemID = existing.itemID
        }
        let record = ExceptionRecord(
            id: id,
            itemID: item.itemID ?? existing.itemID,
            document: try ExceptionJSON.document(item),
            createdAtMilliseconds: existing.createdAtMilliseconds,
            updatedAtMilliseconds: epochMilliseconds(Date())
        )
        try await rejectItemIDNamingOtherItem(record.itemID, ownID: id)
        let replacement: ExceptionReplacement
        do {
            // An identical item is neither written nor audited, and keeps its updated_at.
            let incoming = item
            replacement = try await database.replaceException(
                record, context: AuditContext(actor: actor(of: request), atMilliseconds: record.updatedAtMilliseconds)
            ) { stored in
                KibanaExceptionExport.isEquivalent(incoming, toStored: stored.document)
            }
        } catch {
            guard case .duplicateExceptionItemID = error else { throw error }
            throw APIProblem(
                status: 409,
                title: "Conflict",
                detail: "Another exception item already has item_id '\(APIProblem.excerpt(record.itemID))'.",
                members: [("pointer", JSONWriter.quoted("/item_id"))]
            )
        }
        let current: ExceptionRecord
        switch replacement {
        case .notFound:
            throw APIProblem.exceptionNotFound(id)
        case .unchanged:
            current = try await database.exception(id: id) ?? existing
            logger.info("exception unchanged", ["exception_id": id, "item_id": record.itemID])
        case .replaced:
            current = record
            try await reloadExceptions()
            logger.info("exception replaced", ["exception_id": id, "item_id": record.itemID])
        }
        let dropped = ExceptionDroppedFields.warnings(
            in: request.body,
            ignoredOptions: [
                "close_matching_alerts": "close_matching_alerts applies only when an item is created with POST /exceptions, so it was ignored."
            ])
        return .json(text: ExceptionJSON.render(current, warnings: item.warnings().map(ResponseWarning.init) + dropped))
    }

    /// `DELETE /exceptions/{id}`: removes an item, found by `id` or `item_id`, and returns it as
    /// it was.
    func deleteException(_ request: HTTPRequest) async throws -> HTTPResponse {
        try rejectUnknownParameters(request, allowed: [])
        let id = try await addressedException(request).id
        let context = AuditContext(actor: actor(of: request), atMilliseconds: epochMilliseconds(Date()))
        guard let existing = try await database.deleteException(id: id, context: context) else {
            throw APIProblem.exceptionNotFound(id)
        }
        try await reloadExceptions()
        logger.info("exception deleted", ["exception_id": id, "item_id": existing.itemID])
        return .json(text: ExceptionJSON.render(existing))
    }

    /// Recompiles the exception set from the database and swaps it in as one snapshot.
    func reloadExceptions() async throws {
        let records = try await database.exceptions()
        var items: [(id: String, item: ExceptionItem)] = []
        for record in records {
            do {
                items.append((record.id, try JSONDecoder().decode(ExceptionItem.self, from: Data(record.document.utf8))))
            } catch {
                // A stored item that no longer decodes is skipped rather than blocking every evaluation.
                logger.error("stored exception item could not be decoded; it is not applied", ["exception_id": record.id, "error": "\(error)"])
            }
        }
        let compiled = CompiledExceptions(items)
        exceptionSnapshot.withLock { $0 = compiled }
    }

    private func decodeExceptionItem(_ request: HTTPRequest) throws -> ExceptionItem {
        let item = try JSONRequestBody.decode(ExceptionItem.self, from: request)
        do {
            try item.validate()
        } catch {
            throw APIProblem.unprocessable(error.message, pointer: error.pointer)
        }
        return item
    }
}

/// Request members of `POST /exceptions` that are not part of the exception item.
struct ExceptionCreateOptions: Decodable {
    let closeMatchingAlerts: Bool?

    /// The JSON keys of the options, which are not dropped fields of the item.
    static let keys: Set<String> = [CodingKeys.closeMatchingAlerts.rawValue]

    enum CodingKeys: String, CodingKey {
        case closeMatchingAlerts = "close_matching_alerts"
    }
}

extension APIProblem {
    static func exceptionNotFound(_ id: String) -> APIProblem {
        .notFound("No exception item has the id or item_id '\(APIProblem.excerpt(id))'; list them with GET /exceptions.")
    }

    static func itemIDNamesOtherItem(_ itemID: String) -> APIProblem {
        APIProblem(
            status: 409,
            title: "Conflict",
            detail:
                "The item_id '\(APIProblem.excerpt(itemID))' is the id of another exception item, so /exceptions/\(APIProblem.excerpt(itemID)) would name two items; use another item_id.",
            members: [("pointer", JSONWriter.quoted("/item_id"))]
        )
    }
}

/// Stored exception items as responses: the Kibana item with detectd's id and times.
enum ExceptionJSON {
    static func document(_ item: ExceptionItem) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(item), as: UTF8.self)
    }

    static func render(_ record: ExceptionRecord, warnings: [ResponseWarning] = []) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.key("id"); json.string(record.id)
        json.key("created_at"); json.string(rfc3339(milliseconds: record.createdAtMilliseconds))
        json.key("updated_at"); json.string(rfc3339(milliseconds: record.updatedAtMilliseconds))
        if !warnings.isEmpty {
            json.key("warnings")
            json.beginArray()
            for warning in warnings {
                json.beginObject()
                json.key("pointer"); json.string(warning.pointer)
                json.key("message"); json.string(warning.message)
                json.endObject()
            }
            json.endArray()
        }
        json.endObject()
        return appendingMembers(of: record.document, to: json.text)
    }
}
