import Foundation

extension SyslogParser {
    /// `VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA [SP MSG]`
    /// after `<PRI>1 `; `-` is the nil value of every header field.
    enum RFC5424 {
        static func parse(_ text: Substring, facility: Int, severity: Int) -> Result<SyslogMessage, LogRejection> {
            var rest = text
            var fields: [String?] = []
            for maxLength in [64, 255, 48, 128, 32] {
                guard let space = rest.firstIndex(of: " ") else { return .failure(.malformedHeader) }
                let field = rest[..<space]
                guard !field.isEmpty, field.count <= maxLength, field.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 }) else {
                    return .failure(.malformedHeader)
                }
                fields.append(field == "-" ? nil : String(field))
                rest = rest[rest.index(after: space)...]
            }
            var timestamp: Timestamp?
            if let text = fields[0] {
                guard let parsed = Timestamp(rfc3339: text) else { return .failure(.malformedHeader) }
                timestamp = parsed
            }
            guard let (structured, afterSD) = Self.structuredData(rest) else { return .failure(.malformedHeader) }
            var message = afterSD.hasPrefix(" ") ? String(afterSD.dropFirst()) : String(afterSD)
            if message.hasPrefix("\u{FEFF}") { message.removeFirst() }
            return .success(
                SyslogMessage(
                    format: .rfc5424,
                    facility: facility,
                    severity: severity,
                    timestamp: timestamp,
                    hostname: fields[1],
                    appName: fields[2],
                    procID: fields[3],
                    msgID: fields[4],
                    structuredData: structured,
                    message: message
                )
            )
        }

        /// `-` or `[id name="value" …]…`, with `\"`, `\\` and `\]` escaped in values.
        static func structuredData(_ text: Substring) -> ([String: [String: String]], Substring)? {
            if text.hasPrefix("-") { return ([:], text.dropFirst()) }
            var elements: [String: [String: String]] = [:]
            var index = text.startIndex
            guard text.first == "[" else { return nil }
            while index < text.endIndex, text[index] == "[" {
                index = text.index(after: index)
                guard let idEnd = text[index...].firstIndex(where: { $0 == " " || $0 == "]" }) else { return nil }
                let id = String(text[index..<idEnd])
                guard !id.isEmpty, id.count <= 32 else { return nil }
                index = idEnd
                var parameters: [String: String] = [:]
                while index < text.endIndex, text[index] == " " {
                    index = text.index(after: index)
                    guard let equals = text[index...].firstIndex(of: "="), text.index(after: equals) < text.endIndex,
                        text[text.index(after: equals)] == "\""
                    else { return nil }
                    let name = String(text[index..<equals])
                    guard !name.isEmpty, name.count <= 32 else { return nil }
                    index = text.index(equals, offsetBy: 2)
                    var value = ""
                    var closed = false
                    while index < text.endIndex {
                        let character = text[index]
                        index = text.index(after: index)
                        if character == "\\", index < text.endIndex, ["\"", "\\", "]"].contains(text[index]) {
                            value.append(text[index])
                            index = text.index(after: index)
                        } else if character == "\"" {
                            closed = true
                            break
                        } else {
                            value.append(character)
                        }
                    }
                    guard closed else { return nil }
                    parameters[name] = value
                }
                guard index < text.endIndex, text[index] == "]" else { return nil }
                index = text.index(after: index)
                elements[id] = parameters
            }
            return (elements, text[index...])
        }
    }
}
