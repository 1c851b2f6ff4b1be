/// The members a route reads from a JSON request object. Foundation's decoder skips members
/// that a type does not decode, so a misspelt `reson` would be lost without notice.
/// `rejectUnknown(in:)` reports such a member as a 422 problem with a JSON pointer.
struct RequestMembers {
    /// Names the route reads.
    let known: [String]
    /// Names that Kibana's API uses for a member detectd calls differently, with what to send.
    var renamed: [String: String] = [:]

    /// Raises a 422 problem for the first unknown member, in sorted order, of the object that
    /// `decoder` is at. Sorting makes the same body always get the same problem.
    func rejectUnknown(in decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: MemberName.self)
        let unknown = container.allKeys.map(\.stringValue).filter { !known.contains($0) }.sorted()
        guard let name = unknown.first else {
            return
        }
        let pointer = APIProblem.jsonPointer(decoder.codingPath + [MemberName(name)])
        let quoted = "'\(APIProblem.excerpt(name, limit: 40))'"
        if let advice = renamed[name] {
            throw APIProblem.unprocessable("The member \(quoted) belongs to Kibana's API. \(advice)", pointer: pointer)
        }
        var detail = "The member \(quoted) is unknown here."
        if let near = nearestName(to: name) {
            detail += " Did you mean '\(near)'?"
        }
        detail += " Known members: \(known.joined(separator: ", "))."
        throw APIProblem.unprocessable(detail, pointer: pointer)
    }

    /// Returns the known name within two edits of `name` (insertions, deletions, substitutions
    /// and swaps of neighbouring letters, ignoring case), or nil when none or several are.
    func nearestName(to name: String) -> String? {
        let lowered = Array(name.lowercased())
        let candidates = known.filter { editDistance(lowered, Array($0.lowercased())) <= 2 }
        return candidates.count == 1 ? candidates[0] : nil
    }

    /// Computes the optimal string alignment distance: Levenshtein's edits plus the swap of
    /// two neighbouring characters as one edit.
    private func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty || b.isEmpty {
            return max(a.count, b.count)
        }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}

/// Any member name of a JSON object, for reading the keys a type does not declare.
private struct MemberName: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) {
        stringValue = name
    }

    init?(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        nil
    }
}
