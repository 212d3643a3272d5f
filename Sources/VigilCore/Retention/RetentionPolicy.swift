import Foundation

/// How long events are kept: a default (`VIGIL_RETENTION_DAYS`; nil keeps them forever) and
/// rules by type, type prefix or severity (`VIGIL_RETENTION_RULES`). An event matched by
/// rules is kept for the longest of them, else for the default. Retention's own records are
/// kept forever: they are what accounts for every deletion in the ledger.
public struct RetentionPolicy: Sendable, Equatable {
    public enum Selector: Sendable, Equatable, CustomStringConvertible {
        case type(String)
        /// A type prefix ending in '.', from `auth.*`.
        case typePrefix(String)
        case severity(Severity)

        func matches(_ event: Event) -> Bool {
            switch self {
            case .type(let type): event.type == type
            case .typePrefix(let prefix): event.type.hasPrefix(prefix)
            case .severity(let severity): event.severity == severity
            }
        }

        public var description: String {
            switch self {
            case .type(let type): type
            case .typePrefix(let prefix): prefix + "*"
            case .severity(let severity): "severity:\(severity.rawValue)"
            }
        }
    }

    public struct Rule: Sendable, Equatable {
        public var selector: Selector
        public var days: Int

        public init(selector: Selector, days: Int) {
            self.selector = selector
            self.days = days
        }
    }

    public static let maxDays = 36_500
    public static let day: Int64 = 86_400_000_000

    public var defaultDays: Int?
    public var rules: [Rule]

    public init(defaultDays: Int? = nil, rules: [Rule] = []) {
        self.defaultDays = defaultDays
        self.rules = rules
    }

    /// Whether anything is ever deleted.
    public var isActive: Bool { self.defaultDays != nil || !self.rules.isEmpty }

    /// Days `event` is kept; nil for ever.
    public func days(for event: Event) -> Int? {
        if event.type.hasPrefix("retention.") { return nil }
        let matched = self.rules.filter { $0.selector.matches(event) }.map(\.days)
        return matched.max() ?? self.defaultDays
    }

    public func isExpired(_ event: Event, now: Timestamp) -> Bool {
        guard let days = self.days(for: event) else { return false }
        return event.occurredAt.microseconds < now.microseconds - Int64(days) * Self.day
    }

    /// Whether every event that can occur before `end` is expired whatever its type (what
    /// dropping a whole partition needs): only with a default, and after the longest rule.
    public func expiresEverything(before end: Timestamp, now: Timestamp) -> Bool {
        guard let base = self.defaultDays else { return false }
        let longest = max(base, self.rules.map(\.days).max() ?? 0)
        return end.microseconds <= now.microseconds - Int64(longest) * Self.day
    }

    /// The reads that find every expired event: events older than the default, and for each
    /// rule shorter than it (or without a default) the rule's own events older than the rule.
    public func scans(now: Timestamp, pageSize: Int) -> [EventQuery] {
        var scans: [EventQuery] = []
        func query(before days: Int) -> EventQuery {
            var query = EventQuery()
            query.to = Timestamp(microseconds: now.microseconds - Int64(days) * Self.day)
            query.order = .asc
            query.limit = pageSize
            return query
        }
        if let base = self.defaultDays { scans.append(query(before: base)) }
        for rule in self.rules where self.defaultDays.map({ rule.days < $0 }) ?? true {
            var scan = query(before: rule.days)
            switch rule.selector {
            case .type(let type): scan.types = [type]
            case .typePrefix(let prefix): scan.typePrefixes = [prefix]
            case .severity(let severity): scan.severities = [severity]
            }
            scans.append(scan)
        }
        return scans
    }

    /// Parses `auth.*=365,severity:critical=730,debug.trace=7`; the reason when it is not that.
    public static func parseRules(_ text: String) -> Result<[Rule], RuleSyntaxError> {
        var rules: [Rule] = []
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let days = Int(parts[1]), (1...Self.maxDays).contains(days), let selector = Self.selector(parts[0]) else {
                return .failure(RuleSyntaxError(message: "'\(item)' is not <type | prefix.* | severity:LEVEL>=<days 1-\(Self.maxDays)>"))
            }
            rules.append(Rule(selector: selector, days: days))
        }
        return .success(rules)
    }

    static func selector(_ text: String) -> Selector? {
        if text.hasPrefix("severity:") { return Severity(rawValue: String(text.dropFirst(9))).map(Selector.severity) }
        if text.hasSuffix(".*") {
            let prefix = String(text.dropLast())
            return EventType.isValid(String(prefix.dropLast())) ? .typePrefix(prefix) : nil
        }
        return EventType.isValid(text) ? .type(text) : nil
    }
}

/// Why a retention rule list does not parse.
public struct RuleSyntaxError: Error, Sendable, Equatable {
    public var message: String
}
