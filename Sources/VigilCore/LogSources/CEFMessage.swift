import Foundation

/// An ArcSight Common Event Format record:
/// `CEF:Version|Device Vendor|Device Product|Device Version|Signature ID|Name|Severity|Extension`.
/// Header fields escape `|` and `\`; extension values escape `=`, `\`, and newlines.
public struct CEFMessage: Sendable, Equatable {
    public var version: String
    public var vendor: String
    public var product: String
    public var productVersion: String
    public var signatureID: String
    public var name: String
    /// As sent: 0-10, or Low, Medium, High, Very-High, Unknown.
    public var severity: String
    public var extensions: [String: String]

    /// The CEF record in `text` (which may follow a syslog header), or nil when there is none.
    public static func parse(_ text: String) -> CEFMessage? {
        guard let start = text.range(of: "CEF:") else { return nil }
        var fields: [String] = []
        var current = ""
        var iterator = text[start.upperBound...].makeIterator()
        while fields.count < 7, let character = iterator.next() {
            if character == "\\" {
                if let next = iterator.next() { current.append(next) }
            } else if character == "|" {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        guard fields.count == 7 else { return nil }
        var rest = ""
        while let character = iterator.next() { rest.append(character) }
        return CEFMessage(
            version: fields[0],
            vendor: fields[1],
            product: fields[2],
            productVersion: fields[3],
            signatureID: fields[4],
            name: fields[5],
            severity: fields[6],
            extensions: Self.extensions(current + rest)
        )
    }

    /// `key=value key2=value two` — a value runs until the next ` key=`.
    static func extensions(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        var key: String?
        var value = ""
        var word = ""
        func flushWord(into value: inout String) {
            if !value.isEmpty || !word.isEmpty { value += value.isEmpty ? word : " " + word }
            word = ""
        }
        var characters = Array(text)
        var index = 0
        characters.append(" ")
        while index < characters.count {
            let character = characters[index]
            index += 1
            if character == "\\", index < characters.count {
                let next = characters[index]
                index += 1
                word.append(next == "n" ? "\n" : next == "r" ? "\r" : next)
            } else if character == "=", !word.isEmpty, word.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" }) {
                if let key { result[key] = value }
                key = word
                value = ""
                word = ""
            } else if character == " " {
                flushWord(into: &value)
            } else {
                word.append(character)
            }
        }
        if let key { result[key] = value }
        return result
    }

    /// Vigil's severity: 0-3 low, 4-6 medium, 7-8 high, 9-10 critical; the words likewise.
    public var vigilSeverity: Severity {
        if let number = Int(self.severity.trimmingCharacters(in: .whitespaces)) {
            switch number {
            case ...3: return .low
            case 4...6: return .medium
            case 7...8: return .high
            default: return .critical
            }
        }
        switch self.severity.lowercased() {
        case "low": return .low
        case "medium": return .medium
        case "high": return .high
        case "very-high", "veryhigh", "very high": return .critical
        default: return .info
        }
    }
}
