/// Why a message from a log source was not stored; counted by reason in `/metrics`
/// (`vigil_log_messages_rejected_total`). Listener-level refusals (a sender outside the allow-list,
/// too many connections) are counted separately, per connection.
public enum LogRejection: String, Error, Sendable, CaseIterable {
    /// Over the format's size limit (`SyslogParser.maxMessageBytes`, `GELFMessage.maxBytes`).
    case oversize
    /// Not UTF-8 where the format requires text.
    case invalidUTF8 = "invalid_utf8"
    /// No `<PRI>` header, or a priority outside 0-191.
    case badPriority = "bad_priority"
    /// An RFC 5424 header that does not parse.
    case malformedHeader = "malformed_header"
    /// Nothing after the header.
    case empty
    /// GELF that is not a JSON object with `version`, `host` and `short_message`.
    case invalidGELF = "invalid_gelf"
    /// A compressed GELF payload that does not inflate, or inflates past the size limit.
    case badCompression = "bad_compression"
    /// GELF chunks that never completed within the reassembly window, or too many at once.
    case incompleteChunks = "incomplete_chunks"
    /// A message that mapped to an event the API's validation refuses (a defect if ever counted).
    case invalidEvent = "invalid_event"
    /// The writer's queue was full; the message was dropped (UDP) or the sender slowed (TCP).
    case overloaded
    /// The database could not commit the message.
    case unavailable
}
