import Foundation

/// What a message from a log source (syslog, CEF, GELF) says, in the shape of an API event
/// submission. `newEvent(now:)` turns it into a `NewEvent` through the API's own validation, so
/// a listener accepts exactly what `POST /api/v1/events` would, after bounding every field.
public struct LogEventDraft: Sendable, Equatable {
    public var type: String
    public var occurredAt: Timestamp?
    public var severity: Severity
    public var outcome: Outcome
    public var actor: String?
    public var source: String?
    public var ip: String?
    public var description: String?
    /// Flat keys, named as ECS names them where it has a name (`host.hostname`,
    /// `log.syslog.facility.name`, `source.ip`), so `details.host.hostname=web-1` filters them.
    public var details: [String: JSONValue]

    public init(
        type: String,
        occurredAt: Timestamp? = nil,
        severity: Severity = .info,
        outcome: Outcome = .unknown,
        actor: String? = nil,
        source: String? = nil,
        ip: String? = nil,
        description: String? = nil,
        details: [String: JSONValue] = [:]
    ) {
        self.type = type
        self.occurredAt = occurredAt
        self.severity = severity
        self.outcome = outcome
        self.actor = actor
        self.source = source
        self.ip = ip
        self.description = description
        self.details = details
    }

    /// Longer string values in `details` are cut to this many bytes when the whole would
    /// exceed `NewEvent.maxDetailsBytes`.
    static let reducedValueBytes = 1024

    /// The event this message becomes, validated as an API submission. Fields over the API's
    /// limits are cut (at a UTF-8 boundary) rather than refused, a header time further in the
    /// future than the API allows becomes the receive time (the sender's time is kept in
    /// `details`), and an address that does not parse is left in `details` only.
    public func newEvent(now: Timestamp) -> Result<NewEvent, LogRejection> {
        var fields: [String: JSONValue] = ["type": .string(Self.eventType(self.type))]
        var details = self.details
        if let time = self.occurredAt, time.isStorable {
            if time > now.adding(seconds: NewEvent.maxFutureSkewSeconds) {
                details["event.original_time"] = .string(time.rfc3339)
            } else {
                fields["occurred_at"] = .string(time.rfc3339)
            }
        }
        fields["severity"] = .string(self.severity.rawValue)
        fields["outcome"] = .string(self.outcome.rawValue)
        if let actor = self.actor, !actor.isEmpty { fields["actor"] = .string(actor.truncated(toUTF8Bytes: NewEvent.maxShortFieldLength)) }
        if let source = self.source, !source.isEmpty {
            fields["source"] = .string(source.truncated(toUTF8Bytes: NewEvent.maxShortFieldLength))
        }
        if let ip = self.ip, let address = IPAddress(ip) { fields["ip"] = .string(address.text) }
        if let description = self.description, !description.isEmpty {
            fields["description"] = .string(description.truncated(toUTF8Bytes: NewEvent.maxDescriptionLength))
            if description.utf8.count > NewEvent.maxDescriptionLength, details["message"] == nil {
                details["message"] = .string(description)
            }
        }
        fields["details"] = Self.bounded(details)
        switch NewEvent.validate(.object(fields), now: now) {
        case .success(let event): return .success(event)
        // Unreachable while the bounds above match the API's; refused rather than trusted.
        case .failure: return .failure(.invalidEvent)
        }
    }

    /// `type` if the API accepts it; otherwise its characters outside A-Z a-z 0-9 _ . : - as `_`,
    /// cut to 128 (an empty result is `log.message`).
    static func eventType(_ type: String) -> String {
        if EventType.isValid(type) { return type }
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-".utf8)
        let bytes = type.utf8.prefix(128).map { allowed.contains($0) ? $0 : UInt8(ascii: "_") }
        let cleaned = String(decoding: bytes, as: UTF8.self)
        return EventType.isValid(cleaned) ? cleaned : "log.message"
    }

    /// `details` within the API's size and depth limits: NUL characters are replaced, and when
    /// the JSON is too large long strings are cut, then everything but the header fields dropped.
    static func bounded(_ details: [String: JSONValue]) -> JSONValue {
        var value = JSONValue.object(details).replacingNUL(depth: NewEvent.maxDetailsDepth)
        if value.canonicalJSON.utf8.count <= NewEvent.maxDetailsBytes { return value }
        // A long message first: cut it to what the other fields leave (its JSON escapes count).
        if case .object(var fields) = value, case .string(let message)? = fields["message"] {
            fields["message"] = .string("")
            let room = NewEvent.maxDetailsBytes - JSONValue.object(fields).canonicalJSON.utf8.count
            if room > 0 {
                var cut = message.truncated(toUTF8Bytes: room)
                while !cut.isEmpty, JSONValue.string(cut).canonicalJSON.utf8.count - 2 > room {
                    cut = cut.truncated(toUTF8Bytes: cut.utf8.count - max(1, cut.utf8.count / 16))
                }
                fields["message"] = .string(cut)
                value = .object(fields)
                if value.canonicalJSON.utf8.count <= NewEvent.maxDetailsBytes { return value }
            }
        }
        value = value.shortened(toUTF8Bytes: reducedValueBytes)
        if value.canonicalJSON.utf8.count <= NewEvent.maxDetailsBytes { return value }
        var kept = details.filter {
            ($0.key.hasPrefix("log.syslog.") && $0.key != "log.syslog.structured_data") || $0.key.hasPrefix("host.")
                || $0.key == "log.source.address"
        }
        .mapValues { $0.shortened(toUTF8Bytes: 256) }
        kept["vigil.details_truncated"] = .bool(true)
        return .object(kept).replacingNUL(depth: NewEvent.maxDetailsDepth)
    }
}

extension JSONValue {
    /// NUL characters as U+FFFD, and anything nested deeper than `depth` as its JSON text.
    func replacingNUL(depth: Int) -> JSONValue {
        switch self {
        case .string(let text): return text.utf8.contains(0) ? .string(text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")) : self
        case .array(let items): return depth <= 1 ? .string(self.canonicalJSON) : .array(items.map { $0.replacingNUL(depth: depth - 1) })
        case .object(let members):
            if depth <= 1 { return .string(self.canonicalJSON).replacingNUL(depth: 1) }
            var result: [String: JSONValue] = [:]
            for (key, member) in members {
                result[key.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")] = member.replacingNUL(depth: depth - 1)
            }
            return .object(result)
        default: return self
        }
    }

    /// Every string (at any depth) cut to `maxBytes`.
    func shortened(toUTF8Bytes maxBytes: Int) -> JSONValue {
        switch self {
        case .string(let text): .string(text.truncated(toUTF8Bytes: maxBytes))
        case .array(let items): .array(items.map { $0.shortened(toUTF8Bytes: maxBytes) })
        case .object(let members): .object(members.mapValues { $0.shortened(toUTF8Bytes: maxBytes) })
        default: self
        }
    }
}
