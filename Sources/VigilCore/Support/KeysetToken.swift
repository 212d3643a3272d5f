import Foundation

/// The opaque keyset cursors the lists hand out: base64url (no padding) of
/// `tag|order|microseconds|uuid`. The tag keeps one list's cursor from being accepted by another.
enum KeysetToken {
    static func encode(tag: String, order: EventQuery.Order, time: Timestamp, id: UUID) -> String {
        Base64URL.encode("\(tag)|\(order.rawValue)|\(time.microseconds)|\(id.lowercased)".utf8)
    }

    /// Nil for anything that is not a token with this tag, or whose time is not `Timestamp.storable`.
    static func decode(_ token: String, tag: String) -> (order: EventQuery.Order, time: Timestamp, id: UUID)? {
        guard token.utf8.count <= 128, let bytes = Base64URL.decode(token.utf8), let raw = String(validating: bytes, as: UTF8.self)
        else { return nil }
        let parts = raw.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == tag, let order = EventQuery.Order(rawValue: String(parts[1])),
            let micros = Int64(parts[2]), let id = UUID(canonical: String(parts[3]))
        else { return nil }
        // A forged time outside what Vigil stores is no cursor Vigil handed out; refusing it here
        // keeps it from every engine's arithmetic.
        let time = Timestamp(microseconds: micros)
        guard time.isStorable else { return nil }
        return (order, time, id)
    }
}
