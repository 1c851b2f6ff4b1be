import Detection
import Foundation

/// The members of a Kibana exception item that detectd does not store, such as `meta`,
/// `_version` or `created_by`: every key that `ExceptionItem` and its entries and comments do
/// not decode.
enum ExceptionDroppedFields {
    /// Keys of an item that detectd sets itself, so a value sent for them is ignored.
    static let replacedKeys: Set<String> = ["id", "created_at", "updated_at"]

    /// Returns JSON pointers (RFC 6901) to the keys of `object` that detectd does not store,
    /// sorted by key within each object. Keys in `requestOptions` are part of the request,
    /// not of the item, and are not listed.
    static func pointers(in object: [String: Any], requestOptions: Set<String> = []) -> [String] {
        var dropped: [String] = []
        for key in object.keys.sorted() where !ExceptionItem.understoodKeys.contains(key) && !requestOptions.contains(key) {
            dropped.append("/" + escapePointerToken(key))
        }
        if let entries = object["entries"] as? [[String: Any]] {
            for (index, entry) in entries.enumerated() {
                for key in entry.keys.sorted() where !ExceptionEntry.understoodKeys.contains(key) {
                    dropped.append("/entries/\(index)/" + escapePointerToken(key))
                }
            }
        }
        if let comments = object["comments"] as? [[String: Any]] {
            for (index, comment) in comments.enumerated() {
                for key in comment.keys.sorted() where !ExceptionComment.understoodKeys.contains(key) {
                    dropped.append("/comments/\(index)/" + escapePointerToken(key))
                }
            }
        }
        return dropped
    }

    /// Returns one response warning per member of `body`, a JSON object, that detectd does not
    /// store. `ignoredOptions` are request members that the route does not use, each with the
    /// reason it gives.
    static func warnings(
        in body: [UInt8], requestOptions: Set<String> = [], ignoredOptions: [String: String] = [:]
    ) -> [ResponseWarning] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            return []
        }
        return pointers(in: object, requestOptions: requestOptions).map { pointer in
            let key = String(pointer.dropFirst())
            if let reason = ignoredOptions[key] {
                return ResponseWarning(pointer: pointer, message: reason)
            }
            if replacedKeys.contains(key) {
                return ResponseWarning(pointer: pointer, message: "detectd sets '\(key)' itself, so the value in the request was ignored.")
            }
            return ResponseWarning(pointer: pointer, message: "detectd does not store the member at \(pointer), so it was dropped from the item.")
        }
    }

    /// Escapes `~` and `/` in a key for a JSON pointer (RFC 6901, section 3).
    static func escapePointerToken(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}

/// A note in the `warnings` of an exception item response: a JSON pointer into the request and
/// what detectd did with the value there.
struct ResponseWarning {
    let pointer: String
    let message: String

    init(pointer: String, message: String) {
        self.pointer = pointer
        self.message = message
    }

    init(_ warning: ExceptionWarning) {
        self.init(pointer: warning.pointer, message: warning.message)
    }
}
