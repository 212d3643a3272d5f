import Foundation

extension UUID {
    /// Lower-case canonical text (`8-4-4-4-12`), the form Vigil stores and returns. Formatted by
    /// hand: Foundation's `uuidString` goes through `NSString` on Linux and showed up in profiles.
    public var lowercased: String {
        String(unsafeUninitializedCapacity: 36) { self.writeLowercased(into: $0) }
    }

    /// Appends `lowercased` as UTF-8 without building the string (JSON documents, COPY rows).
    public func appendLowercased(to output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { buffer in
            output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<self.writeLowercased(into: buffer)]))
        }
    }

    private func writeLowercased(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        withUnsafeBytes(of: self.uuid) { raw in
            var out = 0
            for (index, byte) in raw.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    buffer[out] = UInt8(ascii: "-")
                    out += 1
                }
                buffer[out] = Hex.digit(byte >> 4)
                buffer[out + 1] = Hex.digit(byte & 0x0F)
                out += 2
            }
            return out
        }
    }

    /// Parses the canonical `8-4-4-4-12` form in either case; nil for anything else. Faster than
    /// `UUID(uuidString:)` (which uses `sscanf` on Linux) and stricter.
    public init?(canonical text: some StringProtocol) {
        self.init(canonical: String(text))
    }

    /// The same for `String`, without generics or allocation: stores read ids with it for
    /// every row (an unspecialised generic version cost 15 % of an export's CPU).
    public init?(canonical text: String) {
        var text = text
        let parsed: uuid_t? = text.withUTF8 { utf8 -> uuid_t? in
            guard utf8.count == 36 else { return nil }
            var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let ok = withUnsafeMutableBytes(of: &value) { bytes -> Bool in
                var position = 0
                for index in 0..<16 {
                    if position == 8 || position == 13 || position == 18 || position == 23 {
                        guard utf8[position] == UInt8(ascii: "-") else { return false }
                        position += 1
                    }
                    guard let high = Self.nibble(utf8[position]), let low = Self.nibble(utf8[position + 1]) else { return false }
                    bytes[index] = high << 4 | low
                    position += 2
                }
                return true
            }
            return ok ? value : nil
        }
        guard let parsed else { return nil }
        self.init(uuid: parsed)
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
