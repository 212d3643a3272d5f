/// Lower-case hexadecimal text of bytes (digests).
public enum Hex {
    /// The lower-case hex digit of a value below 16.
    @inline(__always)
    static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") - 10 + nibble
    }

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var output: [UInt8] = []
        Self.append(bytes, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the hex text of `bytes` as UTF-8 (COPY rows) without building a string.
    public static func append(_ bytes: some Sequence<UInt8>, to output: inout [UInt8]) {
        output.reserveCapacity(output.count + max(64, bytes.underestimatedCount * 2))
        for byte in bytes {
            output.append(Self.digit(byte >> 4))
            output.append(Self.digit(byte & 0x0F))
        }
    }
}
