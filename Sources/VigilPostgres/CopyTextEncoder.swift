import NIOCore
import VigilCore

/// Rows in PostgreSQL's `COPY … FROM STDIN` text format: tab-separated columns, `\N` for NULL,
/// backslash, tab, newline and carriage return escaped. Values never contain NUL (validation
/// rejects it), which PostgreSQL text cannot hold.
struct CopyTextEncoder {
    var buffer: ByteBuffer

    init(capacity: Int) {
        self.buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    mutating func field(_ value: String?, last: Bool = false) {
        if let value {
            if !value.utf8.contains(where: Self.needsEscape) {
                self.buffer.writeString(value)
            } else {
                self.escaped(value)
            }
        } else {
            self.buffer.writeStaticString("\\N")
        }
        self.buffer.writeInteger(last ? UInt8(ascii: "\n") : UInt8(ascii: "\t"))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    private mutating func escaped(_ value: String) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): self.buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\t"): self.buffer.writeStaticString("\\t")
            case UInt8(ascii: "\n"): self.buffer.writeStaticString("\\n")
            case UInt8(ascii: "\r"): self.buffer.writeStaticString("\\r")
            default: self.buffer.writeInteger(byte)
            }
        }
    }

    mutating func field(_ value: Int) {
        self.buffer.writeString(String(value))
        self.buffer.writeInteger(UInt8(ascii: "\t"))
    }

    /// One event row in the column order of `PostgresStore.copyColumns`.
    mutating func row(_ row: PreparedEvent) {
        let event = row.event
        self.field(event.id.lowercased)
        self.field(event.type)
        self.field(event.occurredAt.rfc3339)
        self.field(event.receivedAt.rfc3339)
        self.field(event.severity.rank)
        self.field(event.outcome.rawValue)
        self.field(event.actor)
        self.field(event.entityType)
        self.field(event.entityID)
        self.field(event.source)
        self.field(event.ip)
        self.field(event.location)
        self.field(event.description)
        self.field(event.details)
        self.field(event.ingestedBy)
        self.field(row.contentHash)
        self.field(EventSearchColumns.arrayLiteral(EventSearchColumns.facets(of: event)))
        self.field(EventSearchColumns.tsvectorLiteral(EventSearchColumns.words(of: event)), last: true)
    }
}
