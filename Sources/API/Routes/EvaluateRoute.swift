import Detection
import Foundation
import HTTPServer
import Storage

extension DetectionService {
    /// `POST /evaluate`: one rule execution over the posted events.
    ///
    /// At most the rule's `max_signals` new alerts are stored per request, as in Kibana. Matches
    /// past that are reported as `not_persisted` with a warning. Posting the same body again
    /// stores them without duplicating the others.
    func evaluate(_ request: HTTPRequest) async throws -> HTTPResponse {
        let format = try bodyFormat(of: request)
        let dryRun = try booleanParameter("dry_run", in: request) ?? false
        let explain = try booleanParameter("explain", in: request) ?? false
        try rejectUnknownParameters(request, allowed: ["dry_run", "explain"])

        let receivedAt = Date()
        let exceptions = currentExceptions
        let items: EvaluatedItems
        do {
            items = try detectors.withDetector(bodyBytes: request.body.count) { detector in
                try detector.evaluate(
                    request.body, format: format, rule: rule, exceptions: exceptions, receivedAt: receivedAt, explain: explain)
            }
        } catch let error as EventBodyError {
            throw APIProblem.invalidBody(error, format: format)
        }

        var summary = EvaluationSummary()
        var candidates: [(item: Int, alert: Alert)] = []
        for (index, item) in items.enumerated() {
            summary.count(item.outcome)
            if case .match(let alert) = item.outcome {
                candidates.append((index, alert))
            }
        }
        if !candidates.isEmpty {
            if dryRun {
                try await preview(candidates, maxSignals: rule.rule.maxSignals, into: &summary)
            } else {
                try await store(candidates, maxSignals: rule.rule.maxSignals, into: &summary)
            }
        }
        metrics.recordEvaluation(summary, dryRun: dryRun)
        return .json { json in
            encode(summary, items: items, dryRun: dryRun, into: &json)
        }
    }

    /// Inserts alerts in order until `maxSignals` new ones are stored, all in one transaction.
    /// Duplicates do not count towards the limit, so a second pass continues where an earlier
    /// execution stopped.
    private func store(_ candidates: [(item: Int, alert: Alert)], maxSignals: Int, into summary: inout EvaluationSummary) async throws {
        let storedAt = Date()
        let records = candidates.map { AlertRecord($0.alert, status: .open, at: storedAt) }
        let outcomes = try await metrics.timeCommit { try await database.insertAlerts(records, maxNew: maxSignals) }
        for (candidate, outcome) in zip(candidates, outcomes) {
            switch outcome {
            case .inserted:
                summary.alertsCreated += 1
                summary.stored[candidate.item] = .created
            case .duplicate:
                summary.duplicates += 1
                summary.stored[candidate.item] = .duplicate
            }
        }
        summary.notPersisted = candidates.count - outcomes.count
        if summary.notPersisted > 0 {
            logger.warning(
                "max_signals reached; matches not stored",
                [
                    "max_signals": "\(maxSignals)", "not_persisted": "\(summary.notPersisted)",
                ])
        }
    }

    /// Sorts the matches of a dry run the way `store` would, without writing. A match whose
    /// alert is stored, or comes earlier in the body, is a duplicate. Of the others, the first
    /// `maxSignals` would be created and the rest would not be tried.
    private func preview(_ candidates: [(item: Int, alert: Alert)], maxSignals: Int, into summary: inout EvaluationSummary) async throws {
        let stored = try await database.storedAlertIDs(among: candidates.map(\.alert.id))
        var seen: Set<String> = []
        var wouldCreate = 0
        for candidate in candidates {
            guard wouldCreate < maxSignals else {
                summary.notPersisted += 1
                continue
            }
            let id = candidate.alert.id
            if stored.contains(id) || !seen.insert(id).inserted {
                summary.duplicates += 1
                summary.stored[candidate.item] = .duplicate
            } else {
                wouldCreate += 1
                summary.stored[candidate.item] = .wouldBeCreated
            }
        }
    }

    private func encode(_ summary: EvaluationSummary, items: EvaluatedItems, dryRun: Bool, into json: inout JSONWriter) {
        json.beginObject()
        json.key("rule_id"); json.string(rule.rule.ruleID)
        json.key("dry_run"); json.bool(dryRun)
        json.key("evaluated"); json.number(summary.evaluated)
        json.key("matched"); json.number(summary.matched)
        json.key("suppressed"); json.number(summary.suppressed)
        json.key("alerts_created"); json.number(summary.alertsCreated)
        json.key("duplicates"); json.number(summary.duplicates)
        json.key("not_persisted"); json.number(summary.notPersisted)
        json.key("out_of_scope"); json.number(summary.outOfScope)
        json.key("invalid"); json.number(summary.invalid)
        json.key("warnings")
        json.beginArray()
        if summary.notPersisted > 0 && dryRun {
            json.string(
                "max_signals (\(rule.rule.maxSignals)) would be reached: \(summary.notPersisted) matching events would not be stored as alerts by this request; posting the same events again would store them."
            )
        } else if summary.notPersisted > 0 {
            json.string(
                "max_signals (\(rule.rule.maxSignals)) reached: \(summary.notPersisted) matching events were not stored as alerts; post the same events again to store them."
            )
        }
        json.endArray()
        json.key("results")
        json.beginArray()
        for (index, item) in items.enumerated() {
            encode(item, stored: summary.stored[index], dryRun: dryRun, into: &json)
        }
        json.endArray()
        json.endObject()
    }

    private func encode(_ item: EvaluatedItem, stored: StoredOutcome?, dryRun: Bool, into json: inout JSONWriter) {
        json.beginObject()
        switch item.position {
        case .document: break
        case .index(let index): json.key("index"); json.number(index)
        case .line(let line): json.key("line"); json.number(line)
        }
        switch item.outcome {
        case .match(let alert):
            let result: String
            switch stored {
            case .created: result = "alert"
            case .wouldBeCreated: result = "match"
            case .duplicate: result = "duplicate"
            case nil: result = "not_persisted"
            }
            json.key("result"); json.string(result)
            json.key("alert_id"); json.string(alert.id)
        case .suppressed(let exceptionID):
            json.key("result"); json.string("suppressed")
            json.key("exception_id"); json.string(exceptionID)
        case .noMatch:
            json.key("result"); json.string("no_match")
        case .outOfScope(let index):
            json.key("result"); json.string("out_of_scope")
            json.key("reason"); json.string("index '\(APIProblem.excerpt(index))' matches none of the rule's index patterns")
        case .invalid(let reason):
            json.key("result"); json.string("invalid")
            json.key("reason"); json.string(Self.withHint(reason))
        }
        // A duplicate's alert was stored earlier and keeps the time it got then, so a note on
        // the time this event would have given it does not apply.
        if let note = item.timestampNote, !Self.isDuplicate(stored) {
            json.key("note"); json.string(note)
        }
        if let explanation = item.explanation {
            json.key("explain")
            ExplainEncoding.encode(explanation, into: &json)
        }
        json.endObject()
    }

    private static func isDuplicate(_ stored: StoredOutcome?) -> Bool {
        if case .duplicate = stored {
            return true
        }
        return false
    }

    /// The advice for NDJSON lines that `curl -d` joined into one, the usual cause of a line with
    /// several JSON values.
    static let joinedLinesAdvice = "if the body was sent with curl -d, which removes newlines, send it with --data-binary"

    /// Adds what usually causes a line with two JSON values: `curl -d` removes the newlines of
    /// an NDJSON file, so its events arrive as one line.
    static func withHint(_ reason: String) -> String {
        guard reason.contains("after the JSON value") else { return reason }
        return reason + " (several JSON values on one line: \(joinedLinesAdvice))"
    }

    private func bodyFormat(of request: HTTPRequest) throws -> EventBodyFormat {
        guard let contentType = request.headers["Content-Type"] else { return .json }
        if contentType == "application/json" { return .json }
        let mediaType =
            contentType.utf8.split(separator: UInt8(ascii: ";"), maxSplits: 1, omittingEmptySubsequences: false).first
            .map { String(decoding: $0, as: UTF8.self).trimmingHTTPWhitespace().lowercased() } ?? ""
        switch mediaType {
        case "application/json", "": return .json
        case "application/x-ndjson", "application/ndjson", "application/jsonlines", "application/x-jsonlines": return .ndjson
        default:
            throw APIProblem.unsupportedMediaType(
                contentType,
                supported: ["application/json", "application/x-ndjson", "application/ndjson", "application/jsonlines", "application/x-jsonlines"],
                hint: mediaType == "text/plain"
                    ? "A body of JSON text needs its type: application/json for one event or an array, application/x-ndjson for one event per line."
                    : nil)
        }
    }
}

/// The storage outcome of a matched event: a new alert or a duplicate of a stored one.
enum StoredOutcome {
    case created, duplicate
    /// In a dry run: the alert is not stored yet and would be created.
    case wouldBeCreated
}

struct EvaluationSummary {
    var evaluated = 0
    var matched = 0
    var suppressed = 0
    var alertsCreated = 0
    var duplicates = 0
    var notPersisted = 0
    var outOfScope = 0
    var invalid = 0
    /// Suppressed events by the id of the exception item that suppressed them.
    var suppressedBy: [String: Int] = [:]
    /// Storage outcome by item index, for matched events only.
    var stored: [Int: StoredOutcome] = [:]

    mutating func count(_ outcome: EventOutcome) {
        switch outcome {
        case .match: evaluated += 1; matched += 1
        case .suppressed(let exceptionID):
            evaluated += 1; matched += 1; suppressed += 1
            suppressedBy[exceptionID, default: 0] += 1
        case .noMatch: evaluated += 1
        case .outOfScope: outOfScope += 1
        case .invalid: invalid += 1
        }
    }
}

extension APIProblem {
    static func invalidBody(_ error: EventBodyError, format: EventBodyFormat) -> APIProblem {
        if let limit = error.limit {
            return .inputLimitExceeded(error, limit: limit)
        }
        // A second JSON value after the first is the usual sign of NDJSON sent the wrong way.
        let hint: String
        switch format {
        case .ndjson where !error.message.contains("after the JSON value"):
            hint = "Send one JSON event or search hit per line."
        case _ where !error.message.contains("after the JSON value"):
            hint = "Send one JSON object, a JSON array of objects, Elasticsearch search hits, or NDJSON with Content-Type: application/x-ndjson."
        case .json:
            hint = "The body has several JSON values: if it is NDJSON, one event per line, send it with Content-Type: application/x-ndjson."
        case .ndjson:
            hint =
                "The only line has several JSON values: \(DetectionService.joinedLinesAdvice)."
        }
        return .badRequest(
            "The request body is not valid: \(error.message). \(hint)",
            [
                ("byte_offset", "\(error.byteOffset)"),
                ("line", "\(error.line)"),
                ("column", "\(error.column)"),
            ]
        )
    }
}
