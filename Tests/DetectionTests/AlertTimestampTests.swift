import Foundation
import Testing

@testable import Detection

@Suite("ECS timestamps")
struct AlertTimestampTests {
    @Test("RFC 3339 with milliseconds")
    func milliseconds() {
        #expect(ECSTimestamp(parsing: "2019-07-29T21:33:59.803Z")?.epochMilliseconds == 1_564_436_039_803)
    }

    @Test("microseconds and nanoseconds truncate")
    func finerFractions() {
        #expect(ECSTimestamp(parsing: "2025-01-15T10:00:06.123468Z")?.epochMilliseconds == 1_736_935_206_123)
        #expect(ECSTimestamp(parsing: "2022-04-04T18:53:09.1283846Z")?.epochMilliseconds == 1_649_098_389_128)
        #expect(ECSTimestamp(parsing: "2022-04-04T18:53:09.999999999Z")?.epochMilliseconds == 1_649_098_389_999)
        #expect(ECSTimestamp(parsing: "2022-04-04T18:53:09.5Z")?.epochMilliseconds == 1_649_098_389_500)
    }

    @Test("offsets")
    func offsets() {
        let utc = ECSTimestamp(parsing: "2019-07-29T21:33:59Z")?.epochMilliseconds
        #expect(utc == 1_564_436_039_000)
        #expect(ECSTimestamp(parsing: "2019-07-29T23:33:59+02:00")?.epochMilliseconds == utc)
        #expect(ECSTimestamp(parsing: "2019-07-29T16:03:59-0530")?.epochMilliseconds == utc)
        #expect(ECSTimestamp(parsing: "2019-07-29T21:33:59")?.epochMilliseconds == utc)
        #expect(ECSTimestamp(parsing: "2019-07-29 21:33:59z")?.epochMilliseconds == utc)
    }

    @Test("date only and before 1970")
    func dateOnly() {
        #expect(ECSTimestamp(parsing: "1970-01-01")?.epochMilliseconds == 0)
        #expect(ECSTimestamp(parsing: "1969-12-31T23:59:59.999Z")?.epochMilliseconds == -1)
        #expect(ECSTimestamp(parsing: "2000-02-29T00:00:00Z")?.epochMilliseconds == 951_782_400_000)
    }

    @Test("epoch milliseconds")
    func epochMilliseconds() throws {
        #expect(ECSTimestamp(parsing: "1564436039803")?.epochMilliseconds == 1_564_436_039_803)
        #expect(ECSTimestamp(.integer(1_564_436_039_803))?.epochMilliseconds == 1_564_436_039_803)
        #expect(ECSTimestamp(.double(1_564_436_039_803.7))?.epochMilliseconds == 1_564_436_039_803)
        let parsed = try withEvent(#"{"event":{"ingested":1564436039803}}"#) { ECSTimestamp(field: FieldPath("event.ingested"), of: $0) }
        #expect(parsed??.epochMilliseconds == 1_564_436_039_803)
    }

    @Test("epoch milliseconds as digits up to the 64-bit limit")
    func epochMillisecondDigits() throws {
        #expect(ECSTimestamp(parsing: "0")?.epochMilliseconds == 0)
        #expect(ECSTimestamp(parsing: "0001564436039803")?.epochMilliseconds == 1_564_436_039_803)
        #expect(ECSTimestamp(parsing: "9223372036854775807")?.epochMilliseconds == Int64.max)
        #expect(ECSTimestamp(parsing: "9223372036854775808") == nil)
        #expect(ECSTimestamp(parsing: "99999999999999999999") == nil)
        let parsed = try withEvent(#"{"@timestamp":"1564436039803"}"#) { ECSTimestamp(field: FieldPath("@timestamp"), of: $0) }
        #expect(parsed??.epochMilliseconds == 1_564_436_039_803)
    }

    @Test("invalid strings")
    func invalid() {
        for text in [
            "", "yesterday", "2019-13-01", "2019-02-29", "2019-07-29T24:00:00Z", "2019-07-29T21:33:59.Z", "2019-07-29T21:33:59+25:00",
            "2019-07-29T21:33:59Zjunk", "2019-7-29",
        ] {
            #expect(ECSTimestamp(parsing: text) == nil, "\(text)")
        }
        #expect(ECSTimestamp(.bool(true)) == nil)
    }

    @Test("formats as RFC 3339 UTC")
    func formatting() {
        #expect(ECSTimestamp(epochMilliseconds: 1_564_436_039_803).iso8601 == "2019-07-29T21:33:59.803Z")
        #expect(ECSTimestamp(epochMilliseconds: 0).iso8601 == "1970-01-01T00:00:00.000Z")
        #expect(ECSTimestamp(epochMilliseconds: -1).iso8601 == "1969-12-31T23:59:59.999Z")
        #expect(ECSTimestamp(Date(timeIntervalSince1970: 1_000.25)).iso8601 == "1970-01-01T00:16:40.250Z")
    }

    @Test("round trip through text")
    func roundTrip() {
        for milliseconds: Int64 in [0, 951_782_400_000, 1_649_098_389_128, 4_102_444_800_000, -86_400_000 * 365] {
            let text = ECSTimestamp(epochMilliseconds: milliseconds).iso8601
            #expect(ECSTimestamp(parsing: text)?.epochMilliseconds == milliseconds, "\(text)")
        }
    }
}
