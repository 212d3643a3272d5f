import Foundation
import VigilCore

/// A `multipart/alternative` message with a plain-text and an HTML part (UTF-8, base64), as
/// RFC 5322 text with CRLF line endings. Header values are built from validated addresses and
/// a subject with line breaks removed (and RFC 2047-encoded when not ASCII), so nothing from
/// an alert can add a header.
struct EmailMessage: Sendable {
    var from: String
    var to: [String]
    var subject: String
    var text: String
    var html: String
    var date: Date
    var id: String

    func rendered() -> String {
        let boundary = "vigil-" + self.id.replacingOccurrences(of: "-", with: "")
        var lines = [
            "From: Vigil <\(self.from)>",
            "To: " + self.to.map { "<\($0)>" }.joined(separator: ", "),
            "Subject: " + Self.encodedHeader(self.subject),
            "Date: " + Self.rfc5322Date(self.date),
            "Message-ID: <\(self.id)@vigil>",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
            "",
        ]
        for (type, body) in [("text/plain", self.text), ("text/html", self.html)] {
            lines += ["--\(boundary)", "Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: base64", ""]
            lines += Self.base64Lines(Data(body.utf8))
        }
        lines += ["--\(boundary)--", ""]
        return lines.joined(separator: "\r\n")
    }

    /// ASCII as is; anything else as `=?UTF-8?B?…?=` words of at most 75 characters.
    static func encodedHeader(_ value: String) -> String {
        let flat = String(value.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        if flat.allSatisfy({ $0.isASCII && $0.asciiValue.map { $0 >= 32 && $0 < 127 } == true }) { return flat }
        var words: [String] = []
        var chunk = ""
        for character in flat {
            // 45 bytes of UTF-8 make 60 base64 characters: the word stays under 75.
            if chunk.utf8.count + String(character).utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    static func base64Lines(_ data: Data) -> [String] {
        let encoded = Array(data.base64EncodedString().utf8)
        return stride(from: 0, to: encoded.count, by: 76).map { String(decoding: encoded[$0..<min($0 + 76, encoded.count)], as: UTF8.self) }
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
