import Foundation

/// Parses one syslog message: RFC 5424 when the priority is followed by version `1`, otherwise
/// RFC 3164 (BSD syslog, the header being best effort as the RFC itself says). Never traps on
/// any input; a message it cannot read is a `LogRejection`.
public enum SyslogParser {
    /// Larger messages are refused (a listener counts them).
    public static let maxMessageBytes = 64 * 1024

    /// `receivedAt` completes RFC 3164 timestamps, which carry no year.
    public static func parse(_ bytes: some Collection<UInt8>, receivedAt: Timestamp) -> Result<SyslogMessage, LogRejection> {
        guard bytes.count <= maxMessageBytes else { return .failure(.oversize) }
        var input = Array(bytes)
        while let last = input.last, last == 0x0A || last == 0x0D || last == 0 { input.removeLast() }
        guard let text = String(validating: input, as: UTF8.self) else { return .failure(.invalidUTF8) }
        guard !text.utf8.contains(0) else { return .failure(.invalidUTF8) }
        guard let (priority, rest) = Self.priority(text[...]) else { return .failure(.badPriority) }
        let facility = priority / 8
        let severity = priority % 8
        if rest.hasPrefix("1 ") {
            return RFC5424.parse(rest.dropFirst(2), facility: facility, severity: severity)
        }
        let message = RFC3164.parse(rest, facility: facility, severity: severity, receivedAt: receivedAt)
        return message.message.isEmpty && message.appName == nil ? .failure(.empty) : .success(message)
    }

    /// `<0>` … `<191>` and what follows it.
    static func priority(_ text: Substring) -> (Int, Substring)? {
        guard text.first == "<", let close = text.firstIndex(of: ">") else { return nil }
        let digits = text[text.index(after: text.startIndex)..<close]
        guard (1...3).contains(digits.count), digits.allSatisfy(\.isASCII), let value = Int(digits), (0...191).contains(value),
            digits == "0" || !digits.hasPrefix("0")
        else { return nil }
        return (value, text[text.index(after: close)...])
    }
}
