extension EmailSettings {
    /// A bare address (`local@domain`) safe to put in an SMTP command and a header: printable
    /// ASCII without spaces, angle brackets, quotes or separators — nothing that could end a
    /// command or start another header.
    public static func isAddress(_ text: String) -> Bool {
        guard text.utf8.count <= 254, let at = text.lastIndex(of: "@") else { return false }
        let local = text[..<at]
        let domain = text[text.index(after: at)...]
        guard (1...64).contains(local.utf8.count), (1...253).contains(domain.utf8.count) else { return false }
        let forbidden = Set(" <>()[]\\,;:\"@")
        guard local.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0.asciiValue.map { $0 > 32 && $0 < 127 } == true && !forbidden.contains($0) })
        else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}
