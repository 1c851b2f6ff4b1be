import Detection
import Foundation
import HTTPServer
import Storage

/// The alert filter, sort order and paging parameters shared by `GET /alerts`,
/// `GET /alerts/_export` and the `filter` of `POST /alerts/_status`.
enum AlertParameters {
    /// Query parameters that select alerts.
    static let filterNames: Set<String> = ["status", "severity", "host.name", "user.name", "since", "until"]
    /// The `sort` values accepted; detectd sorts by the alert time only.
    static let sortFields = ["@timestamp"]

    /// Builds a filter from named values. `values(name)` returns every value given for `name`;
    /// `status` and `severity` also split each value at commas.
    static func filter(now: Date, values: (String) -> [String]) throws(AlertParameterError) -> AlertFilter {
        var filter = AlertFilter()
        for name in commaSeparated(values("status")) {
            guard let status = AlertStatus(rawValue: name) else {
                throw AlertParameterError(name: "status", value: name, expected: "use open, acknowledged or closed")
            }
            filter.statuses.append(status)
        }
        for name in commaSeparated(values("severity")) {
            guard Rule.severities.contains(name) else {
                throw AlertParameterError(name: "severity", value: name, expected: "use low, medium, high or critical")
            }
            filter.severities.append(name)
        }
        filter.hostName = try single("host.name", values("host.name"))
        filter.userName = try single("user.name", values("user.name"))
        filter.sinceMilliseconds = try time("since", single("since", values("since")), now: now)
        filter.untilMilliseconds = try time("until", single("until", values("until")), now: now)
        return filter
    }

    /// Reads `sort` and `order`: `sort=@timestamp` with `order=asc` or `desc`, or the
    /// Elasticsearch form `sort=@timestamp:asc`. Returns true for oldest first; newest first is
    /// the default.
    static func ascending(sort: String?, order: String?) throws -> Bool {
        var field = sort ?? "@timestamp"
        var sortOrder: String?
        if let colon = field.lastIndex(of: ":") {
            sortOrder = String(field[field.index(after: colon)...])
            field = String(field[..<colon])
        }
        guard sortFields.contains(field) else {
            throw APIProblem.invalidParameter(
                "sort", value: sort ?? "", expected: "use @timestamp, @timestamp:asc or @timestamp:desc")
        }
        if let sortOrder, let order, sortOrder != order {
            throw APIProblem.invalidParameter(
                "order", value: order, expected: "it contradicts the order in sort=\(APIProblem.excerpt(sort ?? "")); give the order once")
        }
        switch order ?? sortOrder ?? "desc" {
        case "asc": return true
        case "desc": return false
        case let other:
            let name = order == nil ? "sort" : "order"
            throw APIProblem.invalidParameter(name, value: other, expected: "use asc or desc")
        }
    }

    private static func commaSeparated(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    private static func single(_ name: String, _ values: [String]) throws(AlertParameterError) -> String? {
        guard values.count <= 1 else {
            throw AlertParameterError(name: name, value: values.joined(separator: ","), expected: "it is given \(values.count) times; give it once")
        }
        return values.first
    }

    private static func time(_ name: String, _ text: String?, now: Date) throws(AlertParameterError) -> Int64? {
        guard let text else {
            return nil
        }
        guard let milliseconds = TimeBound.epochMilliseconds(text, now: now) else {
            throw AlertParameterError(
                name: name, value: text, expected: "use an RFC 3339 time such as 2024-05-01T12:00:00Z or date math such as now-48h")
        }
        return milliseconds
    }
}

/// An alert filter value that is invalid, with the filter's name and what to use instead.
struct AlertParameterError: Error {
    let name: String
    let value: String
    let expected: String
}

extension DetectionService {
    /// Returns the alert filter given in the request's query parameters.
    func alertFilter(_ request: HTTPRequest, now: Date) throws -> AlertFilter {
        do {
            return try AlertParameters.filter(now: now) { request.queryValues($0) }
        } catch {
            throw APIProblem.invalidParameter(error.name, value: error.value, expected: error.expected)
        }
    }

    /// Returns true when the request's `sort` and `order` query parameters ask for oldest first.
    func alertSortAscending(_ request: HTTPRequest) throws -> Bool {
        try AlertParameters.ascending(sort: singleParameter("sort", in: request), order: singleParameter("order", in: request))
    }

    /// Reads a page of alerts and turns a cursor that Storage rejects into a 400 naming it.
    func alertPage(_ query: AlertQuery) async throws -> AlertPage {
        do {
            return try await database.alerts(query)
        } catch {
            guard case .invalidCursor(let cursor, let reason) = error else { throw error }
            throw APIProblem.invalidParameter("cursor", value: cursor, expected: "\(reason); pass the next_cursor value of an earlier response unchanged")
        }
    }
}
