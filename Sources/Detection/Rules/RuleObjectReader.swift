/// Reads typed fields of one JSON object of a rule file, naming the field in every error.
struct RuleObjectReader {
    let object: JSONElement
    /// The object's own path, such as `threat[0].tactic`; empty for the rule itself.
    let path: String

    func fieldPath(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// Returns the member's value, or nil when it is absent or `null`.
    func value(_ key: String) -> JSONElement? {
        guard let value = object.member(key), value.type != .null else { return nil }
        return value
    }

    func requiredString(_ key: String) throws(RuleLoadError) -> String {
        guard let text = try optionalString(key) else {
            throw missing(key)
        }
        return text
    }

    func optionalString(_ key: String) throws(RuleLoadError) -> String? {
        guard let value = value(key) else { return nil }
        guard let text = value.string else {
            throw invalid(key, "must be a string, found \(value.type.nameWithArticle)")
        }
        return text
    }

    func requiredNonEmptyString(_ key: String) throws(RuleLoadError) -> String {
        let text = try requiredString(key)
        guard !text.allSatisfy(\.isWhitespace) else {
            throw invalid(key, "must not be empty")
        }
        return text
    }

    func optionalInteger(_ key: String, in range: ClosedRange<Int>) throws(RuleLoadError) -> Int? {
        guard let value = value(key) else { return nil }
        guard value.type == .int64 || value.type == .uint64, let integer = value.int64.map(Int.init) else {
            throw invalid(key, "must be an integer from \(range.lowerBound) to \(range.upperBound), found \(value.type.nameWithArticle)")
        }
        guard range.contains(integer) else {
            throw invalid(key, "must be an integer from \(range.lowerBound) to \(range.upperBound), found \(integer)")
        }
        return integer
    }

    func requiredInteger(_ key: String, in range: ClosedRange<Int>) throws(RuleLoadError) -> Int {
        guard let integer = try optionalInteger(key, in: range) else {
            throw missing(key)
        }
        return integer
    }

    func optionalBool(_ key: String) throws(RuleLoadError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard let flag = value.bool else {
            throw invalid(key, "must be true or false, found \(value.type.nameWithArticle)")
        }
        return flag
    }

    /// Reads a list of strings. An absent or `null` member is an empty list.
    func stringArray(_ key: String) throws(RuleLoadError) -> [String] {
        guard let value = value(key) else { return [] }
        guard value.type == .array else {
            throw invalid(key, "must be an array of strings, found \(value.type.nameWithArticle)")
        }
        var strings: [String] = []
        var failure: RuleLoadError?
        value.forEachElement { element in
            guard let text = element.string else {
                failure = invalid("\(key)[\(strings.count)]", "must be a string, found \(element.type.nameWithArticle)")
                return false
            }
            strings.append(text)
            return true
        }
        if let failure { throw failure }
        return strings
    }

    func requiredObject(_ key: String) throws(RuleLoadError) -> RuleObjectReader {
        guard let value = value(key) else {
            throw missing(key)
        }
        guard value.type == .object else {
            throw invalid(key, "must be an object, found \(value.type.nameWithArticle)")
        }
        return RuleObjectReader(object: value, path: fieldPath(key))
    }

    /// Reads a list of objects. An absent or `null` member is an empty list.
    func objectArray(_ key: String) throws(RuleLoadError) -> [RuleObjectReader] {
        guard let value = value(key) else { return [] }
        guard value.type == .array else {
            throw invalid(key, "must be an array of objects, found \(value.type.nameWithArticle)")
        }
        var readers: [RuleObjectReader] = []
        var failure: RuleLoadError?
        value.forEachElement { element in
            let elementPath = "\(fieldPath(key))[\(readers.count)]"
            guard element.type == .object else {
                failure = RuleLoadError(
                    kind: .invalidField, field: elementPath,
                    message: "invalid field '\(elementPath)': must be an object, found \(element.type.nameWithArticle)")
                return false
            }
            readers.append(RuleObjectReader(object: element, path: elementPath))
            return true
        }
        if let failure { throw failure }
        return readers
    }

    func missing(_ key: String) -> RuleLoadError {
        let field = fieldPath(key)
        return RuleLoadError(kind: .missingField, field: field, message: "missing required field '\(field)'")
    }

    func invalid(_ key: String, _ problem: String) -> RuleLoadError {
        let field = fieldPath(key)
        return RuleLoadError(kind: .invalidField, field: field, message: "invalid field '\(field)': \(problem)")
    }
}
