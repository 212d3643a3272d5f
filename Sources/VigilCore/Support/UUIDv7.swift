import Foundation

extension UUID {
    /// A new RFC 9562 version 7 UUID: 48-bit Unix milliseconds, then random bits, so ids sort by
    /// creation time and index well.
    public static func v7(at timestamp: Timestamp = .now()) -> UUID {
        // Two 64-bit draws: each draw of the system generator is a getrandom(2) call, and one
        // per byte showed up in profiles of batch ingest (a UUID per event).
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        let millis = UInt64(max(0, timestamp.microseconds / 1000))
        func byte(_ value: UInt64, _ index: Int) -> UInt8 { UInt8(truncatingIfNeeded: value >> (8 * (7 - index))) }
        return UUID(
            uuid: (
                byte(millis, 2), byte(millis, 3), byte(millis, 4), byte(millis, 5), byte(millis, 6), byte(millis, 7),
                0x70 | (byte(high, 0) & 0x0F), byte(high, 1),
                0x80 | (byte(high, 2) & 0x3F), byte(high, 3), byte(high, 4), byte(high, 5), byte(high, 6), byte(high, 7),
                byte(low, 0), byte(low, 1)
            )
        )
    }
}
