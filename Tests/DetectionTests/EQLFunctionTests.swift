import Testing

@testable import Detection

@Suite("EQL functions")
struct EQLFunctionTests {
    static let event = #"""
        {"file": {"path": "C:\\Windows\\System32\\cmd.exe", "name": "cmd.exe"}, "process": {"args_count": 4,
         "parent": {"args_count": 2}, "pid": 1000}, "user.name": "Administrator", "host.name": "ws-01.corp",
         "source.ip": "192.168.1.7", "version": "0x1F", "count": "42", "ratio": "2.5"}
        """#

    static func check(_ condition: String) throws -> Bool {
        try eqlMatches(condition, event)
    }

    @Test("add, subtract, multiply, divide, modulo")
    func arithmeticFunctions() throws {
        #expect(try Self.check("add(process.args_count, 5) == 9"))
        #expect(try Self.check("add(process.args_count, 0.5) == 4.5"))
        #expect(try Self.check("add(process.args_count, process.parent.args_count) == 6"))
        #expect(try Self.check("subtract(process.args_count, 6) == -2"))
        #expect(try Self.check("multiply(process.args_count, 2.5) == 10"))
        #expect(try Self.check("divide(process.pid, 3) == 333"))
        #expect(try Self.check("divide(process.pid, 8.0) == 125"))
        #expect(try Self.check("modulo(process.pid, 7) == 6"))
        #expect(try Self.check("add(null, 4) == null"))
        #expect(try Self.check("divide(4, 0) == null"))
    }

    @Test("between")
    func between() throws {
        #expect(try Self.check(#"between(file.path, "System32\\", ".exe") == "cmd""#))
        #expect(try Self.check(#"between(file.path, "system32\\", ".exe") == """#))
        #expect(try Self.check(#"between~(file.path, "system32\\", ".exe") == "cmd""#))
        #expect(try Self.check(#"between(file.path, "\\", "\\", true) == "Windows\\System32""#))
        #expect(try Self.check(#"between(file.path, "\\", "\\", false) == "Windows""#))
    }

    @Test("cidrMatch on values")
    func cidrMatch() throws {
        #expect(try Self.check(#"cidrMatch(concat("10.0.0.", "1"), "10.0.0.0/24") == true"#))
        #expect(try Self.check(#"cidrMatch(source.ip, "192.168.0.0/16") == true"#))
        #expect(try Self.check(#"cidrMatch(no.such.field, "192.168.0.0/16") == null"#))
    }

    @Test("concat")
    func concat() throws {
        #expect(try Self.check(#"concat(file.name, " ", 42) == "cmd.exe 42""#))
        #expect(try Self.check(#"concat(file.name) == "cmd.exe""#))
        #expect(try Self.check(#"concat(file.name, true, 1.5) == "cmd.exetrue1.5""#))
        #expect(try Self.check(#"concat(file.name, null) == null"#))
    }

    @Test("startsWith, endsWith, stringContains")
    func searchFunctions() throws {
        #expect(try Self.check(#"startsWith(file.name, "cmd")"#))
        #expect(try !Self.check(#"startsWith(file.name, "CMD")"#))
        #expect(try Self.check(#"startsWith~(file.name, "CMD")"#))
        #expect(try Self.check(#"startswith~(file.name, "CMD")"#))
        #expect(try Self.check(#"endsWith(file.name, ".exe")"#))
        #expect(try Self.check(#"endsWith~(file.name, ".EXE")"#))
        #expect(try !Self.check(#"endsWith(file.name, ".EXE")"#))
        #expect(try Self.check(#"stringContains(file.path, "System32")"#))
        #expect(try !Self.check(#"stringContains(file.path, "system32")"#))
        #expect(try Self.check(#"stringContains~(file.path, "system32")"#))
        #expect(try Self.check(#"startsWith(file.name, "c*") == false"#))
        #expect(try Self.check(#"startsWith~(host.name, concat(substring(user.name, 0, 2), "-"))"#) == false)
        #expect(try Self.check(#"startsWith~(host.name, concat(substring("WS", 0, 2), "-"))"#))
    }

    @Test("indexOf")
    func indexOf() throws {
        #expect(try Self.check(#"indexOf(user.name, "min") == 2"#))
        #expect(try Self.check(#"indexOf(user.name, "MIN") == null"#))
        #expect(try Self.check(#"indexOf~(user.name, "MIN") == 2"#))
        #expect(try Self.check(#"indexOf(user.name, "a", 1) == 9"#))
        #expect(try Self.check(#"indexOf(user.name, "") == 0"#))
        #expect(try Self.check(#"indexOf(user.name, "x", 100) == null"#))
    }

    @Test("length")
    func length() throws {
        #expect(try Self.check("length(user.name) == 13"))
        #expect(try Self.check(#"length("é😀") == 2"#))
        #expect(try Self.check("length(no.such.field) == null"))
    }

    @Test("number")
    func number() throws {
        #expect(try Self.check("number(count) == 42"))
        #expect(try Self.check("number(ratio) == 2.5"))
        #expect(try Self.check("number(version, 16) == 31"))
        #expect(try Self.check(#"number("-7") == -7"#))
        #expect(try Self.check(#"number("abc") == null"#))
    }

    @Test("string")
    func string() throws {
        #expect(try Self.check(#"string(process.pid) == "1000""#))
        #expect(try Self.check(#"string(true) == "true""#))
        #expect(try Self.check(#"string(file.name) == "cmd.exe""#))
        #expect(try Self.check("string(null) == null"))
    }

    @Test("substring")
    func substring() throws {
        #expect(try Self.check(#"substring(file.name, 0, 3) == "cmd""#))
        #expect(try Self.check(#"substring(file.name, -3) == "exe""#))
        #expect(try Self.check(#"substring(file.name, -4, -3) == ".""#))
        #expect(try Self.check(#"substring(file.name, 4) == "exe""#))
        #expect(try Self.check(#"substring(file.name, 5, 2) == """#))
        #expect(try Self.check(#"substring(file.name, 2, 100) == "d.exe""#))
    }

    @Test("functions compose with operators")
    func composition() throws {
        #expect(try Self.check(#"length(file.name) > 3 and startsWith(file.name, "cmd")"#))
        #expect(try Self.check(#"substring(file.name, 0, 3) : "CMD""#))
        #expect(try Self.check(#"concat(file.name, "x") like "cmd*x""#))
        #expect(try Self.check(#"string(process.pid) in ("1000", "2")"#))
        #expect(try Self.check(#"not endsWith(string(source.ip), string(host.name))"#))
    }
}

@Suite("EQL null semantics")
struct EQLNullTests {
    static let event = #"{"a": "x", "empty": "", "n": null, "list": [null, "y"], "nulls": [null], "obj": {"k": 1}}"#

    static func check(_ condition: String) throws -> Bool {
        try eqlMatches(condition, event)
    }

    @Test("== null means missing")
    func equalsNull() throws {
        #expect(try Self.check("missing.field == null"))
        #expect(try Self.check("n == null"))
        #expect(try Self.check("nulls == null"))
        #expect(try !Self.check("a == null"))
        #expect(try !Self.check("empty == null"))
        #expect(try Self.check("null == missing.field"))
    }

    @Test("!= null means exists")
    func notEqualsNull() throws {
        #expect(try Self.check("a != null"))
        #expect(try Self.check("empty != null"))
        #expect(try Self.check("list != null"))
        #expect(try !Self.check("n != null"))
        #expect(try !Self.check("missing.field != null"))
        #expect(try !Self.check("obj != null"))
    }

    @Test("comparisons with missing are false")
    func missingComparisons() throws {
        #expect(try !Self.check(#"missing.field == "x""#))
        #expect(try !Self.check("missing.field < 1"))
        #expect(try !Self.check("missing.field >= 1"))
        #expect(try !Self.check(#"missing.field : "*""#))
        #expect(try !Self.check(#"missing.field like "*""#))
        #expect(try !Self.check(#"missing.field regex ".*""#))
        #expect(try !Self.check(#"missing.field in ("x")"#))
        #expect(try !Self.check("a < null"))
    }

    @Test("!= holds for a missing field")
    func notEqualsMissing() throws {
        #expect(try Self.check(#"missing.field != "x""#))
        #expect(try Self.check(#"n != "x""#))
        #expect(try Self.check(#"nulls != "x""#))
    }

    @Test("!= fails when any value equals")
    func notEqualsMultiValued() throws {
        #expect(try !Self.check(#"list != "y""#))
        #expect(try Self.check(#"list != "z""#))
        #expect(try !Self.check(#"a != "x""#))
        #expect(try Self.check(#"a != "X""#))
    }

    @Test("negation of a missing comparison")
    func negatedMissing() throws {
        #expect(try Self.check(#"not missing.field == "x""#))
        #expect(try Self.check(#"missing.field not in ("x")"#))
        #expect(try Self.check(#"not missing.field : "x*""#))
    }

    @Test("null in a list matches missing")
    func nullInList() throws {
        #expect(try Self.check(#"missing.field in ("x", null)"#))
        #expect(try Self.check(#"a in ("x", null)"#))
        #expect(try !Self.check(#"a in ("z", null)"#))
    }

    @Test("null literal as condition")
    func nullCondition() throws {
        #expect(try !Self.check("null"))
        #expect(try Self.check("not null"))
    }

    @Test("wildcard star matches empty string")
    func starMatchesEmpty() throws {
        #expect(try Self.check(#"empty : "*""#))
        #expect(try Self.check(#"list : "y""#))
    }
}
