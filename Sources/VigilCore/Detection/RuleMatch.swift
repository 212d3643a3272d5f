import Foundation

/// Which events a rule considers. Every condition given must hold; lists match any member.
/// An empty match considers every event.
public struct RuleMatch: Sendable, Equatable {
    /// Exact types, or prefixes written `auth.*` (stored as `auth.`).
    public var types: [String]
    public var typePrefixes: [String]
    public var minSeverity: Severity?
    public var sources: [String]
    public var outcome: Outcome?
    public var actors: [String]
    public var ipRanges: [CIDRRange]
    /// Top-level `details` keys whose value, as text, must equal the given text (as the
    /// `details.KEY=VALUE` query filter compares).
    public var details: [String: String]

    public init(
        types: [String] = [],
        typePrefixes: [String] = [],
        minSeverity: Severity? = nil,
        sources: [String] = [],
        outcome: Outcome? = nil,
        actors: [String] = [],
        ipRanges: [CIDRRange] = [],
        details: [String: String] = [:]
    ) {
        self.types = types
        self.typePrefixes = typePrefixes
        self.minSeverity = minSeverity
        self.sources = sources
        self.outcome = outcome
        self.actors = actors
        self.ipRanges = ipRanges
        self.details = details
    }

    /// Whether `event` satisfies every condition. Cheap conditions first; `details` parses the
    /// event's JSON only when the rule has details conditions and everything else matched.
    public func matches(_ event: Event) -> Bool {
        if !self.types.isEmpty || !self.typePrefixes.isEmpty {
            guard self.types.contains(event.type) || self.typePrefixes.contains(where: { event.type.hasPrefix($0) }) else { return false }
        }
        if let minimum = self.minSeverity, event.severity < minimum { return false }
        if let outcome = self.outcome, event.outcome != outcome { return false }
        if !self.sources.isEmpty {
            guard let source = event.source, self.sources.contains(source) else { return false }
        }
        if !self.actors.isEmpty {
            guard let actor = event.actor, self.actors.contains(actor) else { return false }
        }
        if !self.ipRanges.isEmpty {
            guard let ip = event.ip.flatMap(IPAddress.init), self.ipRanges.contains(where: { $0.contains(ip) }) else { return false }
        }
        if !self.details.isEmpty {
            guard case .object(let members)? = try? JSONParser.parse(Array(event.details.utf8)) else { return false }
            for (key, expected) in self.details {
                guard let value = members[key], Self.text(of: value) == expected else { return false }
            }
        }
        return true
    }

    /// A JSON scalar's text form as compared by details conditions (objects and arrays have none).
    static func text(of value: JSONValue) -> String? {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .double: value.canonicalJSON
        case .string(let text): text
        case .array, .object: nil
        }
    }
}
