import Foundation
import Testing

@testable import Detection

@Suite("Exception matching")
struct ExceptionMatchingTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func item(_ entries: [ExceptionEntry], osTypes: [String] = [], expireTime: String? = nil) -> ExceptionItem {
        ExceptionItem(name: "test item", entries: entries, osTypes: osTypes, expireTime: expireTime)
    }

    /// Decodes `json` with the service's event decoder and returns the id of the item that
    /// suppresses it, if any.
    static func firstMatch(_ item: ExceptionItem, _ json: String) throws -> String? {
        try firstMatch(in: CompiledExceptions([(id: "item-1", item: item)]), json)
    }

    /// Decodes `json` and returns the id of the first item of `exceptions` that suppresses it.
    static func firstMatch(in exceptions: CompiledExceptions, _ json: String) throws -> String? {
        var match: String?
        var decoded = false
        try EventDecoder().decode(Array(json.utf8), format: .json) { decodedItem in
            if case .event(let event) = decodedItem {
                decoded = true
                match = exceptions.firstMatch(event, now: now)
            }
        }
        #expect(decoded, "not an event: \(json)")
        return match
    }

    static let adminCommand = item([
        ExceptionEntry(field: "user.name", type: .match, operator: .included, value: .string("admin")),
        ExceptionEntry(
            field: "process.command_line", type: .wildcard, operator: .included,
            value: .string("netsh interface portproxy add v4tov4 *")),
    ])

    @Test("user and command line both present")
    func userAndCommandLine() throws {
        let json = #"{"user": {"name": "admin"}, "process": {"command_line": "netsh interface portproxy add v4tov4 listenport=8080"}}"#
        #expect(try Self.firstMatch(Self.adminCommand, json) == "item-1")
    }

    @Test("user without command line")
    func userWithoutCommandLine() throws {
        #expect(try Self.firstMatch(Self.adminCommand, #"{"user": {"name": "admin"}}"#) == nil)
    }

    @Test("command line without user")
    func commandLineWithoutUser() throws {
        let json = #"{"process.command_line": "netsh interface portproxy add v4tov4 listenport=8080"}"#
        #expect(try Self.firstMatch(Self.adminCommand, json) == nil)
    }

    @Test("other user does not match")
    func otherUser() throws {
        let json = #"{"user.name": "guest", "process.command_line": "netsh interface portproxy add v4tov4 x"}"#
        #expect(try Self.firstMatch(Self.adminCommand, json) == nil)
    }

    @Test("excluded entry on missing field")
    func excludedOnMissingField() throws {
        let item = Self.item([ExceptionEntry(field: "user.name", type: .match, operator: .excluded, value: .string("admin"))])
        #expect(try Self.firstMatch(item, #"{"host": {"name": "a"}}"#) == "item-1")
        #expect(try Self.firstMatch(item, #"{"user": {"name": "guest"}}"#) == "item-1")
        #expect(try Self.firstMatch(item, #"{"user": {"name": "admin"}}"#) == nil)
    }

    @Test("arrays included and excluded")
    func arrays() throws {
        let included = Self.item([ExceptionEntry(field: "process.args", type: .match, operator: .included, value: .string("-p"))])
        let excluded = Self.item([ExceptionEntry(field: "process.args", type: .match, operator: .excluded, value: .string("-p"))])
        let withFlag = #"{"process": {"args": ["netsh", "-p", "x"]}}"#
        let withoutFlag = #"{"process": {"args": ["netsh", "x"]}}"#
        #expect(try Self.firstMatch(included, withFlag) == "item-1")
        #expect(try Self.firstMatch(included, withoutFlag) == nil)
        #expect(try Self.firstMatch(excluded, withFlag) == nil)
        #expect(try Self.firstMatch(excluded, withoutFlag) == "item-1")
    }

    @Test("match_any takes any listed value")
    func matchAny() throws {
        let item = Self.item([
            ExceptionEntry(field: "host.name", type: .matchAny, operator: .included, value: .list(["ws1", "ws2"]))
        ])
        #expect(try Self.firstMatch(item, #"{"host": {"name": "ws2"}}"#) == "item-1")
        #expect(try Self.firstMatch(item, #"{"host": {"name": "ws3"}}"#) == nil)
    }

    @Test("case sensitive unless asked")
    func caseSensitivity() throws {
        let sensitive = Self.item([ExceptionEntry(field: "user.name", type: .match, operator: .included, value: .string("Admin"))])
        let insensitive = Self.item([
            ExceptionEntry(field: "user.name", type: .match, operator: .included, value: .string("Admin"), caseInsensitive: true)
        ])
        let wildcardInsensitive = Self.item([
            ExceptionEntry(
                field: "registry.path", type: .wildcard, operator: .included,
                value: .string("hklm\\\\system\\\\*"), caseInsensitive: true)
        ])
        #expect(try Self.firstMatch(sensitive, #"{"user.name": "admin"}"#) == nil)
        #expect(try Self.firstMatch(sensitive, #"{"user.name": "Admin"}"#) == "item-1")
        #expect(try Self.firstMatch(insensitive, #"{"user.name": "ADMIN"}"#) == "item-1")
        #expect(try Self.firstMatch(insensitive, #"{"user.name": "ÄDMIN"}"#) == nil)
        #expect(try Self.firstMatch(wildcardInsensitive, #"{"registry.path": "HKLM\\System\\CurrentControlSet"}"#) == "item-1")
    }

    @Test("case_insensitive folds ASCII only")
    func caseInsensitiveASCIIOnly() throws {
        let match = Self.item([
            ExceptionEntry(field: "user.name", type: .match, operator: .included, value: .string("JOSÉ"), caseInsensitive: true)
        ])
        let matchAny = Self.item([
            ExceptionEntry(
                field: "user.name", type: .matchAny, operator: .included, value: .list(["ÅSA", "JOSÉ"]), caseInsensitive: true)
        ])
        let wildcard = Self.item([
            ExceptionEntry(field: "user.name", type: .wildcard, operator: .included, value: .string("JOS*É"), caseInsensitive: true)
        ])
        for item in [match, matchAny, wildcard] {
            #expect(try Self.firstMatch(item, #"{"user.name": "josÉ"}"#) == "item-1")
            #expect(try Self.firstMatch(item, #"{"user.name": "josé"}"#) == nil)
        }
        let kelvin = Self.item([
            ExceptionEntry(field: "user.name", type: .match, operator: .included, value: .string("k"), caseInsensitive: true)
        ])
        #expect(try Self.firstMatch(kelvin, #"{"user.name": "K"}"#) == "item-1")
        #expect(try Self.firstMatch(kelvin, #"{"user.name": "\u212A"}"#) == nil)
    }

    @Test("caseless field reads the base field lowercased")
    func caselessField() throws {
        let match = Self.item([
            ExceptionEntry(
                field: "process.executable.caseless", type: .match, operator: .included,
                value: .string(#"c:\windows\system32\netsh.exe"#))
        ])
        let wildcard = Self.item([
            ExceptionEntry(
                field: "process.executable.caseless", type: .wildcard, operator: .included,
                value: .string(#"C:\\WINDOWS\\*"#))
        ])
        for item in [match, wildcard] {
            #expect(try Self.firstMatch(item, #"{"process": {"executable": "C:\\Windows\\System32\\NETSH.EXE"}}"#) == "item-1")
            #expect(try Self.firstMatch(item, #"{"process": {"executable": "C:\\Temp\\netsh.exe"}}"#) == nil)
        }
    }

    @Test("caseless lowercases with Unicode mappings")
    func caselessUnicode() throws {
        func caseless(_ value: String) -> ExceptionItem {
            Self.item([ExceptionEntry(field: "user.name.caseless", type: .match, operator: .included, value: .string(value))])
        }
        #expect(try Self.firstMatch(caseless("JOSÉ"), #"{"user.name": "josé"}"#) == "item-1")
        #expect(try Self.firstMatch(caseless("İ"), #"{"user.name": "i"}"#) == "item-1")
        // Lowercasing keeps the final sigma apart from σ, where case folding would not.
        #expect(try Self.firstMatch(caseless("Σ"), #"{"user.name": "σ"}"#) == "item-1")
        #expect(try Self.firstMatch(caseless("Σ"), #"{"user.name": "ς"}"#) == nil)
    }

    @Test("non-ASCII case_insensitive value gets a warning")
    func nonASCIIFoldingWarning() {
        func entry(_ field: String, _ value: String) -> ExceptionItem {
            Self.item([ExceptionEntry(field: field, type: .match, operator: .included, value: .string(value), caseInsensitive: true)])
        }
        let warnings = entry("user.name", "JOSÉ").warnings(now: Self.now)
        #expect(warnings.map(\.pointer) == ["/entries/0/case_insensitive"])
        #expect(warnings.first?.message.hasPrefix("case_insensitive folds only ASCII letters") == true)
        #expect(entry("user.name", "JOSE").warnings(now: Self.now).isEmpty)
        // Digits and signs beyond ASCII have no case to fold.
        #expect(entry("user.name", "№5").warnings(now: Self.now).isEmpty)
        // A .caseless field lowercases every letter, so its only warning is the field's.
        #expect(entry("user.name.caseless", "JOSÉ").warnings(now: Self.now).map(\.pointer) == ["/entries/0/field"])
    }

    @Test("caseless field gets a warning")
    func caselessWarning() {
        let item = Self.item([ExceptionEntry(field: "process.name.caseless", type: .match, operator: .included, value: .string("a"))])
        let warnings = item.warnings(now: Self.now)
        #expect(warnings.map(\.pointer) == ["/entries/0/field"])
        #expect(warnings.first?.message.hasPrefix("process.name.caseless is read as process.name with") == true)
        let plain = Self.item([ExceptionEntry(field: "caseless", type: .match, operator: .included, value: .string("a"))])
        #expect(plain.warnings(now: Self.now).isEmpty)
    }

    @Test("exists included and excluded")
    func exists() throws {
        let included = Self.item([ExceptionEntry(field: "process.parent.name", type: .exists, operator: .included)])
        let excluded = Self.item([ExceptionEntry(field: "process.parent.name", type: .exists, operator: .excluded)])
        #expect(try Self.firstMatch(included, #"{"process": {"parent": {"name": "cmd.exe"}}}"#) == "item-1")
        #expect(try Self.firstMatch(included, #"{"process": {"parent": {"name": null}}}"#) == nil)
        #expect(try Self.firstMatch(excluded, #"{"process": {}}"#) == "item-1")
        #expect(try Self.firstMatch(excluded, #"{"process.parent.name": "cmd.exe"}"#) == nil)
    }

    @Test("exists on an object field")
    func existsOnObject() throws {
        let included = Self.item([ExceptionEntry(field: "process.parent", type: .exists, operator: .included)])
        let excluded = Self.item([ExceptionEntry(field: "process.parent", type: .exists, operator: .excluded)])
        let present = [
            #"{"process": {"parent": {"name": "cmd.exe"}}}"#,
            #"{"process": {"parent.name": "cmd.exe"}}"#,
            #"{"process.parent.name": "cmd.exe"}"#,
            #"{"process.parent": {"pid": 4}}"#,
            #"{"process": {"parent": [{"name": null}, {"args": ["a"]}]}}"#,
            #"{"process": [{"parent": {"code_signature": {"trusted": false}}}]}"#,
            #"{"process": {"parent": "cmd.exe"}}"#,
        ]
        let absent = [
            #"{"process": {"name": "netsh.exe"}}"#,
            #"{"process": {"parent": {}}}"#,
            #"{"process": {"parent": null}}"#,
            #"{"process": {"parent": []}}"#,
            #"{"process": {"parent": {"name": null, "args": [], "code_signature": {}}}}"#,
            #"{"process": {"parent_name": "cmd.exe"}}"#,
            #"{"process.parentx": {"name": "cmd.exe"}}"#,
        ]
        for json in present {
            #expect(try Self.firstMatch(included, json) == "item-1", "\(json)")
            #expect(try Self.firstMatch(excluded, json) == nil, "\(json)")
        }
        for json in absent {
            #expect(try Self.firstMatch(included, json) == nil, "\(json)")
            #expect(try Self.firstMatch(excluded, json) == "item-1", "\(json)")
        }
    }

    @Test("exists beside value entries on sub-fields")
    func existsBesideValueEntries() throws {
        // The exists entry's presence slot must not feed the match entry on the same or a deeper
        // field, and the other way round.
        let item = Self.item([
            ExceptionEntry(field: "process.parent", type: .exists, operator: .included),
            ExceptionEntry(field: "process.parent.name", type: .match, operator: .included, value: .string("cmd.exe")),
        ])
        let matchOnObject = Self.item([
            ExceptionEntry(field: "process.parent", type: .match, operator: .included, value: .string("cmd.exe")),
            ExceptionEntry(field: "process.parent", type: .exists, operator: .included),
        ])
        #expect(try Self.firstMatch(item, #"{"process": {"parent": {"name": "cmd.exe"}}}"#) == "item-1")
        #expect(try Self.firstMatch(item, #"{"process": {"parent": {"name": "sh"}}}"#) == nil)
        #expect(try Self.firstMatch(matchOnObject, #"{"process": {"parent": {"name": "cmd.exe"}}}"#) == nil)
        #expect(try Self.firstMatch(matchOnObject, #"{"process": {"parent": "cmd.exe"}}"#) == "item-1")
    }

    @Test("os_types restrict the item")
    func osTypes() throws {
        let item = Self.item(
            [ExceptionEntry(field: "user.name", type: .match, operator: .included, value: .string("admin"))],
            osTypes: ["windows"])
        #expect(try Self.firstMatch(item, #"{"user.name": "admin", "host": {"os": {"type": "windows"}}}"#) == "item-1")
        #expect(try Self.firstMatch(item, #"{"user.name": "admin", "host": {"os": {"type": "linux"}}}"#) == nil)
        #expect(try Self.firstMatch(item, #"{"user.name": "admin"}"#) == nil)
    }

    @Test("explanation reports the os_types test")
    func explainOSTypes() throws {
        let entries = [ExceptionEntry(field: "user.name", type: .match, operator: .included, value: .string("admin"))]
        let exceptions = CompiledExceptions([
            (id: "windows", item: Self.item(entries, osTypes: ["linux", "windows"])),
            (id: "any", item: Self.item(entries)),
        ])
        var explanations: [ExceptionExplanation?] = []
        let events = #"{"user.name": "admin", "host": {"os": {"type": "Windows"}}}"# + "\n" + #"{"user.name": "admin"}"#
        try EventDecoder().decode(Array(events.utf8), format: .ndjson) { decoded in
            if case .event(let event) = decoded {
                explanations.append(exceptions.explainFirstMatch(event, now: Self.now))
            }
        }
        #expect(explanations.count == 2)
        let windows = try #require(explanations[0])
        #expect(windows.id == "windows")
        #expect(windows.osTypes?.listed == ["linux", "windows"])
        #expect(windows.osTypes?.held == true)
        #expect(windows.osTypes?.values.field == "host.os.type")
        #expect(windows.osTypes?.values.values == ["Windows"])
        let any = try #require(explanations[1])
        #expect(any.id == "any")
        #expect(any.osTypes == nil)
    }

    @Test("expired items are skipped")
    func expiry() throws {
        let entries = [ExceptionEntry(field: "user.name", type: .match, operator: .included, value: .string("admin"))]
        let expired = Self.item(entries, expireTime: "2020-01-01T00:00:00.000Z")
        let current = Self.item(entries, expireTime: "2099-01-01T00:00:00Z")
        #expect(try Self.firstMatch(expired, #"{"user.name": "admin"}"#) == nil)
        #expect(try Self.firstMatch(current, #"{"user.name": "admin"}"#) == "item-1")
    }

    @Test("wildcard escapes")
    func wildcardEscapes() throws {
        let escapedStar = Self.item([
            ExceptionEntry(field: "file.name", type: .wildcard, operator: .included, value: .string(#"a\*b"#))
        ])
        let windowsPath = Self.item([
            ExceptionEntry(field: "file.path", type: .wildcard, operator: .included, value: .string(#"C:\\Windows\\*"#))
        ])
        let pastedPath = Self.item([
            ExceptionEntry(field: "file.path", type: .wildcard, operator: .included, value: .string(#"C:\Windows\*"#))
        ])
        #expect(try Self.firstMatch(escapedStar, #"{"file.name": "a*b"}"#) == "item-1")
        #expect(try Self.firstMatch(escapedStar, #"{"file.name": "axb"}"#) == nil)
        #expect(try Self.firstMatch(windowsPath, #"{"file.path": "C:\\Windows\\notepad.exe"}"#) == "item-1")
        #expect(try Self.firstMatch(pastedPath, #"{"file.path": "C:\\Windows\\notepad.exe"}"#) == nil)
        #expect(try Self.firstMatch(pastedPath, #"{"file.path": "C:Windows*"}"#) == "item-1")
    }

    @Test("numbers and booleans match text")
    func scalarTextForms() throws {
        let port = Self.item([ExceptionEntry(field: "destination.port", type: .match, operator: .included, value: .string("3389"))])
        let flag = Self.item([ExceptionEntry(field: "process.elevated", type: .match, operator: .included, value: .string("true"))])
        #expect(try Self.firstMatch(port, #"{"destination": {"port": 3389}}"#) == "item-1")
        #expect(try Self.firstMatch(port, #"{"destination": {"port": 338}}"#) == nil)
        #expect(try Self.firstMatch(flag, #"{"process": {"elevated": true}}"#) == "item-1")
    }

    @Test("items are ORed and first id wins")
    func itemsOr() throws {
        let first = Self.item([ExceptionEntry(field: "user.name", type: .match, operator: .included, value: .string("a"))])
        let second = Self.item([ExceptionEntry(field: "host.name", type: .match, operator: .included, value: .string("h"))])
        let exceptions = CompiledExceptions([(id: "first", item: first), (id: "second", item: second)])
        #expect(try Self.firstMatch(in: exceptions, #"{"host.name": "h"}"#) == "second")
        #expect(try Self.firstMatch(in: exceptions, #"{"user.name": "a", "host.name": "h"}"#) == "first")
        #expect(try Self.firstMatch(in: exceptions, #"{"user.name": "b"}"#) == nil)
        #expect(try Self.firstMatch(in: CompiledExceptions.empty, #"{"user.name": "a"}"#) == nil)
    }

    @Test("invalid items are left out")
    func invalidItemsLeftOut() throws {
        let invalid = Self.item([ExceptionEntry(field: "user.name", type: .match, operator: .included, value: nil)])
        let exceptions = CompiledExceptions([(id: "bad", item: invalid)])
        #expect(exceptions.count == 0)
    }
}

@Suite("Exception validation")
struct ExceptionValidationTests {
    static func decode(_ json: String) throws -> ExceptionItem {
        try JSONDecoder().decode(ExceptionItem.self, from: Data(json.utf8))
    }

    /// Returns the pointer of the first problem with the item: a value of the wrong JSON type
    /// for its entry fails decoding, anything else fails validation.
    static func pointer(_ json: String) throws -> String? {
        let item: ExceptionItem
        do {
            item = try decode(json)
        } catch DecodingError.dataCorrupted(let context) {
            return context.codingPath.map { "/" + ($0.intValue.map(String.init) ?? $0.stringValue) }.joined()
        }
        let error = #expect(throws: ExceptionValidationError.self) { try item.validate() }
        return error?.pointer
    }

    @Test("Kibana export decodes")
    func kibanaExport() throws {
        let json = """
            {"_version": "WzEsMV0=", "comments": [{"comment": "known admin", "created_at": "2024-01-01T00:00:00.000Z",
             "created_by": "elastic", "id": "c1"}], "created_at": "2024-01-01T00:00:00.000Z", "created_by": "elastic",
             "description": "Admin tunnels", "entries": [{"field": "user.name", "operator": "included", "type": "match",
             "value": "admin"}, {"field": "process.command_line", "operator": "included", "type": "wildcard",
             "value": "netsh *"}], "id": "5f0a", "item_id": "admin-tunnel", "list_id": "rule-exceptions",
             "name": "Admin tunnel", "namespace_type": "single", "os_types": ["windows"], "tags": [], "tie_breaker_id": "x",
             "type": "simple", "updated_at": "2024-01-01T00:00:00.000Z", "updated_by": "elastic",
             "expire_time": "2030-01-01T00:00:00.000Z"}
            """
        let item = try Self.decode(json)
        #expect(item.itemID == "admin-tunnel")
        #expect(item.entries.count == 2)
        #expect(item.entries[1].type == .wildcard)
        #expect(item.comments.first?.comment == "known admin")
        #expect(item.osTypes == ["windows"])
        #expect(throws: Never.self) { try item.validate() }

        let roundTrip = try JSONDecoder().decode(ExceptionItem.self, from: JSONEncoder().encode(item))
        #expect(roundTrip == item)
    }

    static let validEntry = #"{"field": "user.name", "operator": "included", "type": "match", "value": "a"}"#

    @Test(
        "validation pointers",
        arguments: [
            (#"{"name": "x", "type": "simple", "entries": []}"#, "/entries"),
            (#"{"name": "", "type": "simple", "entries": [\#(validEntry)]}"#, "/name"),
            (#"{"name": "x", "type": "detection", "entries": [\#(validEntry)]}"#, "/type"),
            (
                #"{"name": "x", "type": "simple", "entries": [\#(validEntry), {"field": "a", "operator": "included", "type": "regex", "value": "x"}]}"#,
                "/entries/1/type"
            ),
            (#"{"name": "x", "type": "simple", "entries": [{"field": "a", "operator": "maybe", "type": "match", "value": "x"}]}"#, "/entries/0/operator"),
            (#"{"name": "x", "type": "simple", "entries": [{"field": "a", "type": "match", "value": "x"}]}"#, "/entries/0/operator"),
            (#"{"name": "x", "type": "simple", "entries": [{"field": "a", "operator": "included", "type": "match_any", "value": "x"}]}"#, "/entries/0/value"),
            (
                #"{"name": "x", "type": "simple", "entries": [{"field": "a", "operator": "included", "type": "match_any", "value": ["x", ""]}]}"#,
                "/entries/0/value/1"
            ),
            (#"{"name": "x", "type": "simple", "entries": [{"field": "a", "operator": "included", "type": "match", "value": ["x"]}]}"#, "/entries/0/value"),
            (#"{"name": "x", "type": "simple", "entries": [{"field": "a", "operator": "included", "type": "wildcard"}]}"#, "/entries/0/value"),
            (#"{"name": "x", "type": "simple", "entries": [{"field": "", "operator": "included", "type": "match", "value": "x"}]}"#, "/entries/0/field"),
            (
                #"{"name": "x", "type": "simple", "entries": [{"field": "user..name", "operator": "included", "type": "match", "value": "x"}]}"#,
                "/entries/0/field"
            ),
            (
                #"{"name": "x", "type": "simple", "entries": [{"field": "user name", "operator": "included", "type": "match", "value": "x"}]}"#,
                "/entries/0/field"
            ),
            (#"{"name": "x", "type": "simple", "entries": [{"field": "process", "type": "nested", "entries": [\#(validEntry)]}]}"#, "/entries/0/type"),
            (#"{"name": "x", "type": "simple", "entries": [\#(validEntry)], "os_types": ["windows", "solaris"]}"#, "/os_types/1"),
            (#"{"name": "x", "type": "simple", "entries": [\#(validEntry)], "expire_time": "tomorrow"}"#, "/expire_time"),
        ])
    func pointers(json: String, expected: String) throws {
        #expect(try Self.pointer(json) == expected)
    }

    @Test("nested entries say unsupported")
    func nestedMessage() throws {
        let item = try Self.decode(#"{"name": "x", "type": "simple", "entries": [{"field": "process", "type": "nested", "entries": []}]}"#)
        let error = #expect(throws: ExceptionValidationError.self) { try item.validate() }
        #expect(error?.message.contains("not supported") == true)
    }

    @Test("backslash warning for pasted path")
    func backslashWarning() throws {
        let item = ExceptionItem(
            name: "x",
            entries: [
                ExceptionEntry(field: "file.path", type: .wildcard, operator: .included, value: .string(#"C:\Windows\*"#))
            ])
        let warnings = item.warnings()
        #expect(warnings.count == 1)
        #expect(warnings.first?.pointer == "/entries/0/value")
        #expect(warnings.first?.message.contains(#"matches the text "C:Windows\*""#) == true)
        #expect(warnings.first?.message.contains(#"double it: "C:\\Windows\\*""#) == true)
    }

    @Test("no warning for escaped backslashes")
    func noWarningForEscapes() throws {
        let item = ExceptionItem(
            name: "x",
            entries: [
                ExceptionEntry(field: "file.path", type: .wildcard, operator: .included, value: .string(#"C:\\Windows\\*.exe"#)),
                ExceptionEntry(field: "file.name", type: .wildcard, operator: .included, value: .string(#"a\*b\?"#)),
            ])
        #expect(item.warnings().isEmpty)
    }

    @Test("match value with wildcard warns")
    func matchWithWildcardWarns() throws {
        let item = ExceptionItem(
            name: "x",
            entries: [
                ExceptionEntry(field: "file.name", type: .match, operator: .included, value: .string("*.exe"))
            ])
        #expect(item.warnings().first?.pointer == "/entries/0/value")
    }
}
