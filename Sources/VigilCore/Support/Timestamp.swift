import Foundation

/// A UTC instant with microsecond precision, the unit every store persists.
///
/// Formats as RFC 3339 with six fractional digits and `Z`; parses any RFC 3339 date-time
/// (fractions beyond microseconds are truncated, offsets are converted to UTC).
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microseconds: Int64

    public init(microseconds: Int64) {
        self.microseconds = microseconds
    }

    public init(_ date: Date) {
        self.microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
    }

    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(microseconds: Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1000)
    }

    public var date: Date { Date(timeIntervalSince1970: Double(self.microseconds) / 1_000_000) }

    /// Saturates at the ends of `Int64` instead of trapping, whatever `seconds` is.
    public func adding(seconds: Int64) -> Timestamp {
        let (delta, scaled) = seconds.multipliedReportingOverflow(by: 1_000_000)
        if scaled { return Timestamp(microseconds: seconds < 0 ? .min : .max) }
        let (sum, overflow) = self.microseconds.addingReportingOverflow(delta)
        if overflow { return Timestamp(microseconds: delta < 0 ? .min : .max) }
        return Timestamp(microseconds: sum)
    }

    /// Whole seconds from `now` until this instant, rounded up, at least 1 (a `Retry-After`).
    public func retryAfterSeconds(from now: Timestamp) -> Int {
        Int(max(1, (self.microseconds - now.microseconds + 999_999) / 1_000_000))
    }

    /// The instants Vigil stores: years 0001 to 9999 UTC, as RFC 3339 can write them and every
    /// engine can hold them. Input outside (an `occurred_at`, a filter, a cursor) is refused.
    public static let storable =
        Timestamp(
            microseconds: -62_135_596_800_000_000
        )...Timestamp(
            microseconds: 253_402_300_799_999_999
        )

    public var isStorable: Bool { Self.storable.contains(self) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.microseconds < rhs.microseconds }

    public var description: String { self.rfc3339 }

    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ`
    public var rfc3339: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(27)
        self.appendRFC3339(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `rfc3339` as UTF-8 without building intermediate strings (exports write two per row).
    public func appendRFC3339(to output: inout [UInt8]) {
        let seconds = self.microseconds.floorDiv(1_000_000)
        let micros = self.microseconds - seconds * 1_000_000
        let days = seconds.floorDiv(86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = Self.civil(fromDays: days)
        if (0...9999).contains(year) {
            // Every storable instant but the far future: formatted in place and appended once
            // (byte-by-byte appends were 4 % of an export's CPU).
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 27) { text in
                func put(_ value: Int64, width: Int, at offset: Int) {
                    var rest = value
                    for index in stride(from: offset + width - 1, through: offset, by: -1) {
                        text[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                        rest /= 10
                    }
                }
                put(year, width: 4, at: 0)
                put(month, width: 2, at: 5)
                put(day, width: 2, at: 8)
                put(secondOfDay / 3600, width: 2, at: 11)
                put(secondOfDay % 3600 / 60, width: 2, at: 14)
                put(secondOfDay % 60, width: 2, at: 17)
                put(micros, width: 6, at: 20)
                (text[4], text[7], text[10]) = (UInt8(ascii: "-"), UInt8(ascii: "-"), UInt8(ascii: "T"))
                (text[13], text[16], text[19], text[26]) = (UInt8(ascii: ":"), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "Z"))
                output.append(contentsOf: UnsafeBufferPointer(text))
            }
            return
        }
        Self.appendWide(year: year, month: month, day: day, secondOfDay: secondOfDay, micros: micros, to: &output)
    }

    /// The general form, digit by digit: a year before 0 or after 9999 is wider than its field.
    private static func appendWide(year: Int64, month: Int64, day: Int64, secondOfDay: Int64, micros: Int64, to output: inout [UInt8]) {
        func digits(_ value: Int64, _ width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            // Only a year beyond 9999 (or before 0) is wider than its field; no string is
            // built for the others (two timestamps per event in exports and in sealing).
            if value < 0 || value >= divisor * 10 {
                output.append(contentsOf: String(value).utf8)
                return
            }
            var rest = value
            while divisor > 0 {
                output.append(UInt8(ascii: "0") + UInt8(rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(year, 4)
        output.append(UInt8(ascii: "-"))
        digits(month, 2)
        output.append(UInt8(ascii: "-"))
        digits(day, 2)
        output.append(UInt8(ascii: "T"))
        digits(secondOfDay / 3600, 2)
        output.append(UInt8(ascii: ":"))
        digits(secondOfDay % 3600 / 60, 2)
        output.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2)
        output.append(UInt8(ascii: "."))
        digits(micros, 6)
        output.append(UInt8(ascii: "Z"))
    }

    /// Parses an RFC 3339 `date-time`; returns nil for anything else, including out-of-range parts
    /// and instants outside `storable` once the offset is applied (`0001-01-01T00:00:00+01:00`).
    public init?(rfc3339 text: String) {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ width: Int) -> Int64? {
            guard index + width <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<index + width] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            index += width
            return value
        }
        func expect(_ characters: Character...) -> Bool {
            guard index < bytes.count, characters.contains(where: { $0.asciiValue == bytes[index] }) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            expect("T", "t", " "), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
            let second = number(2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var micros: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if digits < 6 { micros = micros * 10 + Int64(bytes[index] - 48) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 6) { micros *= 10 }
        }
        var offsetSeconds: Int64 = 0
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") {
            index += 1
        } else {
            let sign: Int64 = bytes[index] == UInt8(ascii: "+") ? 1 : (bytes[index] == UInt8(ascii: "-") ? -1 : 0)
            guard sign != 0 else { return nil }
            index += 1
            guard let offsetHours = number(2), expect(":"), let offsetMinutes = number(2),
                offsetHours < 24, offsetMinutes < 60
            else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        }
        guard index == bytes.count else { return nil }
        let days = Self.days(fromCivil: year, month, day)
        // A leap second (:60) is folded into the next second, as most systems do.
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        let parsed = Timestamp(microseconds: seconds * 1_000_000 + micros)
        guard parsed.isStorable else { return nil }
        self = parsed
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days.
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = y.floorDiv(400)
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays value: Int64) -> (Int64, Int64, Int64) {
        let z = value + 719_468
        let era = z.floorDiv(146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int64 {
    /// Division rounding towards negative infinity.
    public func floorDiv(_ divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
