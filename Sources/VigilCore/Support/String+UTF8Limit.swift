extension String {
    /// The longest prefix of whole Unicode scalars that fits in `maxBytes` of UTF-8.
    ///
    /// Stored text is limited in bytes, never in `Character`s: one grapheme cluster can carry
    /// any number of combining marks, so a limit in clusters bounds nothing.
    public func truncated(toUTF8Bytes maxBytes: Int) -> String {
        let utf8 = self.utf8
        guard utf8.count > maxBytes else { return self }
        var end = utf8.index(utf8.startIndex, offsetBy: max(0, maxBytes))
        // Back up to the start of a scalar (continuation bytes are 0b10xxxxxx).
        while end > utf8.startIndex, utf8[end] & 0xC0 == 0x80 { end = utf8.index(before: end) }
        return String(self[..<end])
    }
}
