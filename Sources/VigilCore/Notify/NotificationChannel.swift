import Foundation

/// Where notifications go: one receiver (webhook, Slack, Telex or email) and which alert changes it
/// wants. Secrets are write-only: stored to sign or authenticate, never returned.
public struct NotificationChannel: Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var config: ChannelConfig
    /// Alerts below this severity are not sent.
    public var minSeverity: Severity
    /// Only alerts of these rules (all rules when empty).
    public var ruleIDs: [UUID]
    public var events: Set<NotificationEvent>
    public var enabled: Bool
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(
        id: UUID,
        name: String,
        config: ChannelConfig,
        minSeverity: Severity = .info,
        ruleIDs: [UUID] = [],
        events: Set<NotificationEvent> = Set(NotificationEvent.subscribable),
        enabled: Bool = true,
        createdAt: Timestamp,
        updatedAt: Timestamp
    ) {
        self.id = id
        self.name = name
        self.config = config
        self.minSeverity = minSeverity
        self.ruleIDs = ruleIDs
        self.events = events
        self.enabled = enabled
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var kind: ChannelKind { self.config.kind }

    /// Whether this channel is to hear about `event` of `alert`.
    public func wants(_ event: NotificationEvent, of alert: Alert) -> Bool {
        self.enabled && self.events.contains(event) && alert.severity >= self.minSeverity
            && (self.ruleIDs.isEmpty || self.ruleIDs.contains(alert.ruleID))
    }
}

/// The alert changes a channel can subscribe to.
public enum NotificationEvent: String, Sendable, CaseIterable, Hashable {
    case alertCreated = "alert.created"
    case alertUpdated = "alert.updated"
    /// An alert's count crossed 10, 100 or 1000.
    case alertEscalated = "alert.escalated"
    /// A test message sent by `POST /channels/{id}/test`; never queued, never subscribed to.
    case channelTest = "channel.test"

    /// The events a channel can subscribe to.
    public static let subscribable: [NotificationEvent] = [.alertCreated, .alertUpdated, .alertEscalated]

    /// The counts whose crossing is an escalation.
    public static let escalationCounts = [10, 100, 1000]

    /// The highest escalation count crossed going from `before` to `after`, if any.
    public static func escalation(from before: Int, to after: Int) -> Int? {
        Self.escalationCounts.last { before < $0 && after >= $0 }
    }
}

public enum ChannelKind: String, Sendable, CaseIterable {
    case webhook
    case slack
    case telex
    case email

    /// The least time between two messages to one channel of this kind, or nil when each
    /// notification is its own message (webhooks: machines deduplicate on the id). Notifications
    /// that fall due meanwhile are collapsed into the next message, never dropped — chat rooms
    /// and inboxes are read by people, and Slack allows about one message per second.
    public var pace: Duration? {
        switch self {
        case .webhook: nil
        case .slack, .telex: .seconds(1)
        case .email: .seconds(10)
        }
    }

    /// `pace` in milliseconds, 0 when unpaced (what the stores keep per channel).
    public var paceMilliseconds: Int {
        guard let pace = self.pace else { return 0 }
        return Int(pace.components.seconds * 1000 + pace.components.attoseconds / 1_000_000_000_000_000)
    }
}

/// A channel's receiver settings, by kind.
public enum ChannelConfig: Sendable, Equatable {
    /// An HTTP(S) endpoint; every request is signed with `secret` (`whsec_` + base64 of at
    /// least 24 random bytes) per the Standard Webhooks specification.
    case webhook(url: String, secret: String)
    /// A Slack incoming-webhook URL (itself a credential: whoever has it can post).
    case slack(url: String)
    /// A Telex channel webhook URL; `channelID` is the Telex channel's own id, which links
    /// Telex's interval ticks for that channel to this one.
    case telex(url: String, channelID: String?)
    case email(EmailSettings)

    public var kind: ChannelKind {
        switch self {
        case .webhook: .webhook
        case .slack: .slack
        case .telex: .telex
        case .email: .email
        }
    }
}
