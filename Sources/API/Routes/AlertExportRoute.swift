import Detection
import Foundation
import HTTPServer
import Storage

extension DetectionService {
    static let defaultExportLimit = 1000
    static let maxExportLimit = 10_000
    /// The largest body an export response grows to before it stops and links the next part.
    /// The HTTP server buffers a response whole, so this bounds the memory one export takes.
    static let maxExportBytes = 16 * 1024 * 1024
    /// Alerts read from SQLite per step of an export.
    static let exportPageSize = 500
    /// The index that `_bulk` lines name by default: the alias Kibana's security alerts use in
    /// the default space.
    static let defaultExportIndex = ".alerts-security.alerts-default"

    /// `GET /alerts/_export`: the alerts that match the filters as NDJSON, one Kibana alert
    /// document per line (`format=ndjson`) or as Elasticsearch `_bulk` create actions
    /// (`format=bulk`). At most `limit` alerts and about 16 MiB per response; when more remain,
    /// a `Link` header with `rel="next"` gives the request for the next part.
    func exportAlerts(_ request: HTTPRequest) async throws -> HTTPResponse {
        let allowed = AlertParameters.filterNames.union(["sort", "order", "limit", "cursor", "format", "index"])
        try rejectUnknownParameters(request, allowed: allowed)
        let filter = try alertFilter(request, now: Date())
        let ascending = try alertSortAscending(request)
        let limit = try integerParameter("limit", in: request, range: 1...Self.maxExportLimit) ?? Self.defaultExportLimit
        let bulk = try exportFormatIsBulk(request)
        let index = try exportIndex(request)

        var body: [UInt8] = []
        var exported = 0
        var cursor = try singleParameter("cursor", in: request)
        var hasMore = false
        pages: while exported < limit {
            let query = AlertQuery(filter: filter, limit: min(Self.exportPageSize, limit - exported), cursor: cursor, ascending: ascending)
            let page = try await alertPage(query)
            for record in page.records {
                if exported > 0 && body.count >= Self.maxExportBytes {
                    hasMore = true
                    break pages
                }
                if bulk {
                    body += Array(Self.bulkAction(index: index, id: record.id).utf8)
                    body.append(UInt8(ascii: "\n"))
                }
                body += Array(AlertExportDocument.render(record, rule: rule.rule).utf8)
                body.append(UInt8(ascii: "\n"))
                exported += 1
                cursor = AlertQuery.cursor(after: record, ascending: ascending)
            }
            hasMore = page.nextCursor != nil
            if !hasMore {
                break
            }
        }

        var response = HTTPResponse(status: 200, body: body)
        response.headers.set("Content-Type", "application/x-ndjson")
        if hasMore, let cursor {
            response.headers.set("Link", "<\(Self.exportTarget(request, cursor: cursor))>; rel=\"next\"")
        }
        return response
    }

    private func exportFormatIsBulk(_ request: HTTPRequest) throws -> Bool {
        switch try singleParameter("format", in: request) ?? "ndjson" {
        case "ndjson": return false
        case "bulk": return true
        case let other: throw APIProblem.invalidParameter("format", value: other, expected: "use ndjson or bulk")
        }
    }

    /// Returns the `index` parameter after checking it against Elasticsearch's rules for index names.
    private func exportIndex(_ request: HTTPRequest) throws -> String {
        guard let index = try singleParameter("index", in: request) else {
            return Self.defaultExportIndex
        }
        let forbidden = Set("\\/*?\"<>| ,#:")
        let valid =
            !index.isEmpty && index.utf8.count <= 255 && index != "." && index != ".."
            && index == index.lowercased() && !index.contains(where: forbidden.contains)
            && !["-", "_", "+"].contains(index.first)
        guard valid else {
            throw APIProblem.invalidParameter(
                "index", value: index,
                expected: "use an Elasticsearch index name: lowercase, at most 255 bytes, without \\ / * ? \" < > | space , # or :, not starting with - _ +")
        }
        return index
    }

    private static func bulkAction(index: String, id: String) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.key("create")
        json.beginObject()
        json.member("_index", index)
        json.member("_id", id)
        json.endObject()
        json.endObject()
        return json.text
    }

    /// Returns the same export request with `cursor` replaced, percent-encoded for a `Link` header.
    private static func exportTarget(_ request: HTTPRequest, cursor: String) -> String {
        // RFC 3986 unreserved characters, plus the '@' and ':' of sort=@timestamp:asc.
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~@:")
        func encode(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
        }
        var items = request.queryItems.filter { $0.name != "cursor" }.map { "\(encode($0.name))=\(encode($0.value))" }
        items.append("cursor=\(encode(cursor))")
        return request.path + "?" + items.joined(separator: "&")
    }
}
