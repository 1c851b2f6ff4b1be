/// Pieces of the Prometheus text exposition format, version 0.0.4: one `# HELP` and one
/// `# TYPE` line per metric family, then one `name{label="value"} number` line per sample.
/// The format is described at https://prometheus.io/docs/instrumenting/exposition_formats/.
enum PrometheusText {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Escapes `# HELP` text: the format reserves a backslash and a line feed there.
    static func escapeHelp(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// Escapes a label value: a backslash, a double quote and a line feed.
    static func escapeLabelValue(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// `{name="value",…}`, or nothing when there are no labels.
    static func labelSet(names: [String], values: [String]) -> String {
        guard !names.isEmpty else {
            return ""
        }
        let pairs = zip(names, values).map { name, value in
            "\(name)=\"\(escapeLabelValue(value))\""
        }
        return "{" + pairs.joined(separator: ",") + "}"
    }

    /// A sample value as Prometheus reads it: whole numbers without a fraction (`3`, as Go's
    /// client writes them), others in Swift's shortest round-trip form (`0.25`, `1e-05`), and
    /// `+Inf`, `-Inf` and `NaN` for the special values.
    static func number(_ value: Double) -> String {
        if value.isNaN {
            return "NaN"
        }
        if value.isInfinite {
            return value < 0 ? "-Inf" : "+Inf"
        }
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return value.description
    }

    /// Checks a metric or label name against the format's grammar, `[a-zA-Z_:][a-zA-Z0-9_:]*`
    /// (label names may not contain colons).
    static func isValidName(_ name: String, allowColon: Bool) -> Bool {
        guard let first = name.unicodeScalars.first else {
            return false
        }
        func isLetter(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_" || (allowColon && scalar == ":")
        }
        return isLetter(first) && name.unicodeScalars.dropFirst().allSatisfy { isLetter($0) || ("0"..."9").contains($0) }
    }
}
