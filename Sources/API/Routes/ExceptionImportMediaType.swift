import Foundation
import HTTPServer

/// The Content-Type values that `POST /exceptions/_import` reads as an NDJSON export file.
///
/// The body is the export file itself. Kibana's import takes the file as a
/// `multipart/form-data` upload (`curl -F file=@export.ndjson`), which detectd does not decode,
/// so such a request gets 415 with the curl options that send the file as the body.
/// `application/json` and `text/plain` are read as NDJSON too: a one-item export is a single JSON
/// object, and many tools label `.ndjson` files as plain text. A request without a Content-Type is
/// read as NDJSON as well.
enum ExceptionImportMediaType {
    static let ndjson: Set<String> = ["application/x-ndjson", "application/ndjson", "application/jsonlines", "application/x-jsonlines"]
    static let alsoRead: Set<String> = ["application/json", "text/plain"]
    /// The types named in a 415 problem, most specific first.
    static let supported = ["application/x-ndjson", "application/ndjson", "application/json", "text/plain"]

    static let curlHint = "send the file as the request body: curl --data-binary @export.ndjson -H 'Content-Type: application/x-ndjson'"

    /// Raises a 415 problem unless the request's Content-Type is absent, empty or one that is
    /// read as NDJSON. Parameters such as `charset` are ignored.
    static func check(_ request: HTTPRequest) throws {
        guard let contentType = request.headers["Content-Type"] else {
            return
        }
        let mediaType =
            contentType.split(separator: ";", maxSplits: 1).first.map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            } ?? ""
        if mediaType.isEmpty || ndjson.contains(mediaType) || alsoRead.contains(mediaType) {
            return
        }
        let hint: String
        if mediaType == "multipart/form-data" {
            hint = "detectd does not read form uploads such as Kibana's (curl -F file=@export.ndjson), so \(curlHint)."
        } else {
            hint = "To import an export file, \(curlHint)."
        }
        throw APIProblem.unsupportedMediaType(contentType, supported: supported, hint: hint)
    }
}
