import Testing

@testable import Detection

/// Evaluates `any where CONDITION` against one JSON event.
func eqlMatches(_ condition: String, _ json: String) throws -> Bool {
    try EQLQuery.parse("any where " + condition).matches(JSONTestEvent(json: json))
}

@Suite("EQL operators")
struct EQLOperatorTests {
    static let event = #"""
        {"event": {"category": ["process", "start"], "code": "13"}, "process": {"name": "PowerShell.exe", "pid": 4,
         "args": ["powershell.exe", "-enc", "AAA"], "args_count": 3, "elevated": true, "score": 2.5},
         "user.name": "Admin", "source": {"ip": "10.1.2.3"}, "destination.ip": "fe80::1", "file": {"path": "C:\\Windows\\cmd.exe"}}
        """#

    static func check(_ condition: String) throws -> Bool {
        try eqlMatches(condition, event)
    }

    @Test("category")
    func category() throws {
        let json = Self.event
        #expect(try EQLQuery.parse("process where true").matches(JSONTestEvent(json: json)))
        #expect(try EQLQuery.parse("start where true").matches(JSONTestEvent(json: json)))
        #expect(try !EQLQuery.parse("registry where true").matches(JSONTestEvent(json: json)))
        #expect(try !EQLQuery.parse("Process where true").matches(JSONTestEvent(json: json)))
        #expect(try EQLQuery.parse("\"process\" where true").matches(JSONTestEvent(json: json)))
        #expect(try EQLQuery.parse("any where true").category == nil)
        #expect(try EQLQuery.parse("any where true").matches(JSONTestEvent(json: "{}")))
    }

    @Test("equality is case-sensitive")
    func equality() throws {
        #expect(try Self.check(#"process.name == "PowerShell.exe""#))
        #expect(try !Self.check(#"process.name == "powershell.exe""#))
        #expect(try !Self.check(#"process.name == "Power*""#))
        #expect(try Self.check(#""PowerShell.exe" == process.name"#))
        #expect(try Self.check(#"process.name != "powershell.exe""#))
        #expect(try !Self.check(#"process.name != "PowerShell.exe""#))
    }

    @Test("colon is case-insensitive wildcard")
    func colon() throws {
        #expect(try Self.check(#"process.name : "powershell.exe""#))
        #expect(try Self.check(#"process.name : "power*""#))
        #expect(try Self.check(#"process.name : "?owershell.EXE""#))
        #expect(try Self.check(#"process.name : ("cmd.exe", "pwsh.exe", "power*")"#))
        #expect(try !Self.check(#"process.name : ("cmd.exe", "pwsh.exe")"#))
        #expect(try Self.check(#"file.path : "c:\\windows\\*""#))
    }

    @Test("numeric comparisons")
    func numericComparisons() throws {
        #expect(try Self.check("process.pid == 4"))
        #expect(try Self.check("process.pid < 5"))
        #expect(try Self.check("process.pid <= 4"))
        #expect(try Self.check("process.pid > 3"))
        #expect(try Self.check("process.pid >= 4"))
        #expect(try !Self.check("process.pid > 4"))
        #expect(try Self.check("process.score > 2"))
        #expect(try Self.check("process.score == 2.5"))
        #expect(try Self.check("5 > process.pid"))
        #expect(try Self.check("process.args_count >= -1"))
    }

    @Test("numeric string field against number")
    func numericStringField() throws {
        #expect(try Self.check("event.code == 13"))
        #expect(try Self.check("event.code > 12"))
        #expect(try Self.check(#"event.code == "13""#))
        #expect(try Self.check(#"process.pid == "4""#))
    }

    @Test("string ordering")
    func stringOrdering() throws {
        #expect(try Self.check(#"process.name > "A""#))
        #expect(try Self.check(#"process.name < "Q""#))
        #expect(try !Self.check(#"process.name < "P""#))
    }

    @Test("booleans")
    func booleans() throws {
        #expect(try Self.check("process.elevated == true"))
        #expect(try !Self.check("process.elevated == false"))
        #expect(try Self.check("process.elevated"))
        #expect(try Self.check("true"))
        #expect(try !Self.check("false"))
    }

    @Test("in and in~")
    func membership() throws {
        #expect(try Self.check(#"user.name in ("root", "Admin")"#))
        #expect(try !Self.check(#"user.name in ("root", "admin")"#))
        #expect(try Self.check(#"user.name in~ ("root", "admin")"#))
        #expect(try Self.check(#"user.name not in ("root", "admin")"#))
        #expect(try !Self.check(#"user.name not in ("root", "Admin")"#))
        #expect(try !Self.check(#"user.name not in~ ("root", "admin")"#))
        #expect(try Self.check("process.pid in (1, 2, 4)"))
        #expect(try Self.check("process.pid in (1, process.args_count, 4)"))
    }

    @Test("like and like~")
    func like() throws {
        #expect(try Self.check(#"process.name like "Power*""#))
        #expect(try !Self.check(#"process.name like "power*""#))
        #expect(try Self.check(#"process.name like~ "power*""#))
        #expect(try Self.check(#"process.name like ("cmd*", "Power?hell.exe")"#))
    }

    @Test("regex and regex~")
    func regex() throws {
        #expect(try Self.check(#"process.name regex "Power[A-Za-z]+\\.exe""#))
        #expect(try !Self.check(#"process.name regex "power.*""#))
        #expect(try Self.check(#"process.name regex~ "power.*""#))
        #expect(try !Self.check(#"process.name regex "Power""#))
        #expect(try Self.check(#"process.name regex """Power\w+\.exe""""#))
    }

    @Test("and, or, not and precedence")
    func booleanOperators() throws {
        #expect(try Self.check(#"process.pid == 4 and user.name == "Admin""#))
        #expect(try !Self.check(#"process.pid == 4 and user.name == "root""#))
        #expect(try Self.check(#"process.pid == 5 or user.name == "Admin""#))
        #expect(try Self.check(#"not process.pid == 5"#))
        #expect(try !Self.check(#"not (process.pid == 4 or false)"#))
        #expect(try Self.check("true or false and false"))
        #expect(try !Self.check("(true or false) and false"))
        #expect(try Self.check("not false and true"))
    }

    @Test("multi-valued fields match any value")
    func multiValued() throws {
        #expect(try Self.check(#"process.args == "-enc""#))
        #expect(try Self.check(#"process.args : "-ENC""#))
        #expect(try Self.check(#"process.args in ("x", "AAA")"#))
        #expect(try !Self.check(#"process.args == "-e""#))
        #expect(try !Self.check(#"not process.args == "-enc""#))
    }

    @Test("arithmetic")
    func arithmetic() throws {
        #expect(try Self.check("process.pid + 1 == 5"))
        #expect(try Self.check("process.pid * 2 - 1 == 7"))
        #expect(try Self.check("process.pid / 3 == 1"))
        #expect(try Self.check("process.pid % 3 == 1"))
        #expect(try Self.check("-process.pid == -4"))
        #expect(try Self.check("process.score * 2 == 5"))
        #expect(try !Self.check("process.pid / 0 == 0"))
    }

    @Test("optional and backquoted fields")
    func fieldForms() throws {
        #expect(try Self.check("?process.pid == 4"))
        #expect(try Self.check("?no.such.field == null"))
        #expect(try Self.check("`user.name` == \"Admin\""))
        #expect(try eqlMatches("`my-field` == 1", #"{"my-field": 1}"#))
        #expect(try eqlMatches("`a``b` == 1", #"{"a`b": 1}"#))
    }

    @Test("string escapes and raw strings")
    func strings() throws {
        #expect(try eqlMatches(#"a == "x\ty\n\"q\"\\""#, #"{"a": "x\ty\n\"q\"\\"}"#))
        #expect(try eqlMatches(#"a == "\u{e9}\u{1F600}""#, #"{"a": "é😀"}"#))
        #expect(try eqlMatches(#"a == """C:\Windows\"quoted\"""""#, #"{"a": "C:\\Windows\\\"quoted\\\""}"#))
    }

    @Test("comments")
    func comments() throws {
        let query = """
            /* leading */ process where // rest of line
              process.pid == 4 /* inline */ and
              // a whole line
              user.name == "Admin"
            """
        #expect(try EQLQuery.parse(query).matches(JSONTestEvent(json: Self.event)))
    }

    @Test("dotted keys and nested objects")
    func dottedKeys() throws {
        #expect(try eqlMatches(#"registry.path : "a*""#, #"{"registry": {"path": "abc"}}"#))
        #expect(try eqlMatches(#"registry.path : "a*""#, #"{"registry.path": "abc"}"#))
        #expect(try eqlMatches(#"registry.path : "a*""#, #"{"registry": {"path": ["abc"]}}"#))
        #expect(try eqlMatches(#"registry.path : "a*""#, #"{"registry": [{"path": "x"}, {"path": "abc"}]}"#))
    }

    @Test("cidrMatch on a field")
    func cidrMatch() throws {
        #expect(try Self.check(#"cidrMatch(source.ip, "10.0.0.0/8")"#))
        #expect(try Self.check(#"cidrmatch(source.ip, "192.168.0.0/16", "10.1.2.0/24")"#))
        #expect(try !Self.check(#"cidrMatch(source.ip, "192.168.0.0/16")"#))
        #expect(try Self.check(#"cidrMatch(destination.ip, "fe80::/10")"#))
        #expect(try !Self.check(#"cidrMatch(destination.ip, "10.0.0.0/8")"#))
        #expect(try Self.check(#"not cidrMatch(destination.ip, "10.0.0.0/8", "::1")"#))
    }
}
