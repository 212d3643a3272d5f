/// Appends compact JSON text to a string. Escapes per RFC 8259; never fails.
public struct JSONWriter: Sendable {
    public private(set) var output: String

    public init(capacity: Int = 256) {
        self.output = ""
        self.output.reserveCapacity(capacity)
    }

    /// Empties the output, keeping its storage for the next document.
    public mutating func reset() {
        self.output.removeAll(keepingCapacity: true)
    }

    public mutating func raw(_ text: String) {
        self.output += text
    }

    public mutating func string(_ value: String) {
        self.output.append("\"")
        // Fast path: most strings need no escaping and are appended in one piece.
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0xE2 }) {
            self.output.append(value)
            self.output.append("\"")
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": self.output += "\\\""
            case "\\": self.output += "\\\\"
            case "\n": self.output += "\\n"
            case "\r": self.output += "\\r"
            case "\t": self.output += "\\t"
            case "\u{08}": self.output += "\\b"
            case "\u{0C}": self.output += "\\f"
            case "\u{2028}": self.output += "\\u2028"
            case "\u{2029}": self.output += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    self.output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    self.output.unicodeScalars.append(scalar)
                }
            }
        }
        self.output.append("\"")
    }

    public mutating func stringOrNull(_ value: String?) {
        if let value { self.string(value) } else { self.output += "null" }
    }

    public mutating func int(_ value: Int64) {
        self.output += String(value)
    }

    public mutating func double(_ value: Double) {
        // JSON has no NaN/Infinity; the decoder never produces them, so this is defensive only.
        if value.isFinite {
            if value == value.rounded(), abs(value) < 1e15 {
                self.output += String(Int64(value))
            } else {
                self.output += "\(value)"
            }
        } else {
            self.output += "null"
        }
    }

    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: self.output += "null"
        case .bool(let flag): self.output += flag ? "true" : "false"
        case .int(let number): self.int(number)
        case .double(let number): self.double(number)
        case .string(let text): self.string(text)
        case .array(let items):
            self.output.append("[")
            for (index, item) in items.enumerated() {
                if index > 0 { self.output.append(",") }
                self.write(item)
            }
            self.output.append("]")
        case .object(let members):
            self.output.append("{")
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { self.output.append(",") }
                self.string(key)
                self.output.append(":")
                self.write(members[key]!)
            }
            self.output.append("}")
        }
    }

    /// Writes `{"k":v,...}` for fields produced by `body`, managing commas.
    public mutating func object(_ body: (inout ObjectWriter) -> Void) {
        var object = ObjectWriter(writer: self)
        self.output = ""
        object.writer.output.append("{")
        body(&object)
        object.writer.output.append("}")
        self = object.writer
    }

    /// Writes the members of a JSON object, inserting separators.
    public struct ObjectWriter {
        var writer: JSONWriter
        var first = true

        mutating func key(_ name: String) {
            if !self.first { self.writer.output.append(",") }
            self.first = false
            self.writer.string(name)
            self.writer.output.append(":")
        }

        public mutating func field(_ name: String, _ value: String?) {
            self.key(name)
            self.writer.stringOrNull(value)
        }

        public mutating func field(_ name: String, _ value: Int64) {
            self.key(name)
            self.writer.int(value)
        }

        public mutating func field(_ name: String, _ value: Bool) {
            self.key(name)
            self.writer.raw(value ? "true" : "false")
        }

        /// Writes already-serialized JSON text as the member's value.
        public mutating func rawField(_ name: String, _ json: String) {
            self.key(name)
            self.writer.raw(json)
        }
    }
}
