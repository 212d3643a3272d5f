/// Validation of identifiers restricted to ASCII letters, digits and a few punctuation marks
/// (event types, usernames, details keys, request ids).
public enum ASCIIName {
    /// True when `text` is `lengths` bytes long and every byte is an ASCII letter, a digit or
    /// one of the ASCII characters in `extra`.
    public static func isValid(_ text: String, lengths: ClosedRange<Int>, extra: String) -> Bool {
        lengths.contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    true
                default:
                    extra.utf8.contains(byte)
                }
            }
    }
}
