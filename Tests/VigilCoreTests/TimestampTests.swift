import Testing
import VigilCore

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2026-01-31T12:00:00Z", "2026-01-31T12:00:00.000000Z"),
        ("2026-01-31t12:00:00.5z", "2026-01-31T12:00:00.500000Z"),
        ("2026-01-31T12:00:00.123456789+02:00", "2026-01-31T10:00:00.123456Z"),
        ("2024-02-29T23:59:59-00:30", "2024-03-01T00:29:59.000000Z"),
        ("1969-12-31T23:59:59.999999Z", "1969-12-31T23:59:59.999999Z"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000000Z"),
    ])
    func parsesAndFormatsUTC(input: String, expected: String) throws {
        let time = try #require(Timestamp(rfc3339: input))
        #expect(time.rfc3339 == expected)
        #expect(Timestamp(rfc3339: time.rfc3339) == time)
    }

    @Test(arguments: [
        "", "2026-01-31", "2026-01-31T12:00:00", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z",
        "2026-01-31T24:00:00Z", "2026-01-31T12:00:00.Z", "2026-01-31T12:00:00+2:00", "2026-01-31T12:00:00Zjunk",
        "'; DROP TABLE events; --", "2026-1-31T12:00:00Z",
    ])
    func rejectsNonRFC3339(input: String) {
        #expect(Timestamp(rfc3339: input) == nil)
    }

    /// Outside four-digit years the year is written whole (such instants are never stored, but
    /// arithmetic on a bound can reach them).
    @Test func yearsBeyondFourDigitsAreWrittenWhole() {
        let upper = Timestamp.storable.upperBound.microseconds
        #expect(Timestamp(microseconds: upper).rfc3339 == "9999-12-31T23:59:59.999999Z")
        #expect(Timestamp(microseconds: upper + 1).rfc3339 == "10000-01-01T00:00:00.000000Z")
        #expect(Timestamp(microseconds: Timestamp.storable.lowerBound.microseconds - 1).rfc3339 == "0000-12-31T23:59:59.999999Z")
    }

    @Test func knownEpochValue() throws {
        let time = try #require(Timestamp(rfc3339: "2000-01-01T00:00:00Z"))
        #expect(time.microseconds == 946_684_800_000_000)
    }
}
