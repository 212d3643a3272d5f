/// "At least `count` matching events within `windowSeconds`, per group": a rule with a
/// threshold triggers on every matching event that brings its group's window to `count` or more.
public struct RuleThreshold: Sendable, Equatable {
    /// The event fields that define a group; events differing in any of them count separately.
    public enum GroupField: String, Sendable, CaseIterable {
        case actor, ip, source, type, outcome, location
        case entityType = "entity_type"
        case entityID = "entity_id"

        func value(in event: Event) -> String? {
            switch self {
            case .actor: event.actor
            case .ip: event.ip
            case .source: event.source
            case .type: event.type
            case .outcome: event.outcome.rawValue
            case .location: event.location
            case .entityType: event.entityType
            case .entityID: event.entityID
            }
        }
    }

    public var count: Int
    public var windowSeconds: Int
    public var groupBy: [GroupField]

    public init(count: Int, windowSeconds: Int, groupBy: [GroupField] = []) {
        self.count = count
        self.windowSeconds = windowSeconds
        self.groupBy = groupBy
    }

    /// `field=value` pairs in `groupBy` order, joined by `&`; a missing value is written empty,
    /// so events without an IP form one group of their own rather than escaping the rule.
    public func groupKey(for event: Event) -> String {
        self.groupBy.map { field in
            "\(field.rawValue)=\(Self.escape(field.value(in: event) ?? ""))"
        }.joined(separator: "&")
    }

    /// Percent-escapes `%`, `&` and `=` so distinct values never produce the same key.
    static func escape(_ value: String) -> String {
        guard value.contains(where: { $0 == "%" || $0 == "&" || $0 == "=" }) else { return value }
        var escaped = ""
        for character in value {
            switch character {
            case "%": escaped += "%25"
            case "&": escaped += "%26"
            case "=": escaped += "%3D"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
