import Foundation

/// Appends compact JSON text as UTF-8 bytes. Escapes per RFC 8259; never fails.
///
/// Bytes rather than a `String`: one document is a few dozen small appends, and appending to
/// an array skips the per-append bookkeeping of a string (the sealer hashes every event's
/// document and ingest every event's content; both showed string appends in profiles).
public struct JSONWriter: Sendable {
    /// The document so far.
    public private(set) var bytes: [UInt8]

    /// The document so far as text.
    public var output: String { String(decoding: self.bytes, as: UTF8.self) }

    public init(capacity: Int = 256) {
        self.bytes = []
        self.bytes.reserveCapacity(capacity)
    }

    /// Empties the output, keeping its storage for the next document.
    public mutating func reset() {
        self.bytes.removeAll(keepingCapacity: true)
    }

    public mutating func raw(_ text: String) {
        self.bytes.append(contentsOf: text.utf8)
    }

    public mutating func string(_ value: String) {
        self.bytes.append(UInt8(ascii: "\""))
        var value = value
        // Fast path: most strings need no escaping and are appended in one piece.
        let plain = value.withUTF8 { utf8 in
            for byte in utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0xE2 {
                return false
            }
            self.bytes.append(contentsOf: utf8)
            return true
        }
        if !plain { self.escaped(value) }
        self.bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escaped(_ value: String) {
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": self.raw("\\\"")
            case "\\": self.raw("\\\\")
            case "\n": self.raw("\\n")
            case "\r": self.raw("\\r")
            case "\t": self.raw("\\t")
            case "\u{08}": self.raw("\\b")
            case "\u{0C}": self.raw("\\f")
            case "\u{2028}": self.raw("\\u2028")
            case "\u{2029}": self.raw("\\u2029")
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    self.raw("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    UTF8.encode(scalar) { self.bytes.append($0) }
                }
            }
        }
    }

    public mutating func stringOrNull(_ value: String?) {
        if let value { self.string(value) } else { self.raw("null") }
    }

    public mutating func int(_ value: Int64) {
        if value < 0 { self.bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    public mutating func double(_ value: Double) {
        // JSON has no NaN/Infinity; the decoder never produces them, so this is defensive only.
        if value.isFinite {
            if value == value.rounded(), abs(value) < 1e15 {
                self.int(Int64(value))
            } else {
                self.raw("\(value)")
            }
        } else {
            self.raw("null")
        }
    }

    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: self.raw("null")
        case .bool(let flag): self.raw(flag ? "true" : "false")
        case .int(let number): self.int(number)
        case .double(let number): self.double(number)
        case .string(let text): self.string(text)
        case .array(let items):
            self.bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { self.bytes.append(UInt8(ascii: ",")) }
                self.write(item)
            }
            self.bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            self.bytes.append(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { self.bytes.append(UInt8(ascii: ",")) }
                self.string(key)
                self.bytes.append(UInt8(ascii: ":"))
                self.write(members[key]!)
            }
            self.bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Writes `{"k":v,...}` for fields produced by `body`, managing commas.
    public mutating func object(_ body: (inout ObjectWriter) -> Void) {
        // The writer moves into the object writer and back, so its bytes are never copied.
        var object = ObjectWriter(writer: self)
        self.bytes = []
        object.writer.bytes.append(UInt8(ascii: "{"))
        body(&object)
        object.writer.bytes.append(UInt8(ascii: "}"))
        self = object.writer
    }

    /// Writes the members of a JSON object, inserting separators.
    public struct ObjectWriter {
        var writer: JSONWriter
        var first = true

        mutating func key(_ name: String) {
            if !self.first { self.writer.bytes.append(UInt8(ascii: ",")) }
            self.first = false
            self.writer.string(name)
            self.writer.bytes.append(UInt8(ascii: ":"))
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

        /// Writes the time as an RFC 3339 string (`Timestamp.rfc3339`) without building it.
        public mutating func field(_ name: String, _ value: Timestamp) {
            self.key(name)
            self.writer.bytes.append(UInt8(ascii: "\""))
            value.appendRFC3339(to: &self.writer.bytes)
            self.writer.bytes.append(UInt8(ascii: "\""))
        }

        /// Writes the id in its lower-case canonical text without building it.
        public mutating func field(_ name: String, _ value: UUID) {
            self.key(name)
            self.writer.bytes.append(UInt8(ascii: "\""))
            value.appendLowercased(to: &self.writer.bytes)
            self.writer.bytes.append(UInt8(ascii: "\""))
        }

        /// Writes already-serialized JSON text as the member's value.
        public mutating func rawField(_ name: String, _ json: String) {
            self.key(name)
            self.writer.raw(json)
        }
    }
}
