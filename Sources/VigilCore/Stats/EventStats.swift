/// Counts of the events of one `StatsQuery`.
public struct EventStats: Sendable, Equatable {
    /// One entry of a top list.
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var count: Int64

        public init(_ key: String, _ count: Int64) {
            self.key = key
            self.count = count
        }
    }

    public var total: Int64 = 0
    public var byType: [String: Int64] = [:]
    public var bySeverity: [Severity: Int64] = [:]
    public var byOutcome: [Outcome: Int64] = [:]
    public var bySource: [String: Int64] = [:]
    /// Most frequent first, ties by key; at most the query's `top`.
    public var topIPs: [Entry] = []
    public var topActors: [Entry] = []
    public var failedLogins: Int64 = 0
    public var failedLoginTopIPs: [Entry] = []
    /// Events per bucket start; buckets without events are absent.
    public var timeline: [Timestamp: Int64] = [:]

    public init() {}

    /// Sums `(kind, key, count)` rows (several rows may carry the same kind and key, e.g. one
    /// from rollups and one from events after their checkpoint) and `(bucket start, count)`
    /// rows, keeping `top` entries per top list. Unknown kinds and keys are ignored.
    public init(counts: [(kind: String, key: String, count: Int64)], timeline: [(start: Timestamp, count: Int64)], top: Int) {
        var sums: [RollupKind: [String: Int64]] = [:]
        for row in counts {
            guard let kind = RollupKind(rawValue: row.kind) else { continue }
            sums[kind, default: [:]][row.key, default: 0] += row.count
        }
        func topList(_ kind: RollupKind) -> [Entry] {
            let entries = (sums[kind] ?? [:]).map { Entry($0.key, $0.value) }
            return Array(entries.sorted(by: Self.ranks).prefix(top))
        }
        self.total = sums[.total]?[""] ?? 0
        self.byType = sums[.type] ?? [:]
        for (key, count) in sums[.severity] ?? [:] {
            if let severity = Int(key).flatMap(Severity.init(rank:)) { self.bySeverity[severity, default: 0] += count }
        }
        for (key, count) in sums[.outcome] ?? [:] {
            if let outcome = Outcome(rawValue: key) { self.byOutcome[outcome, default: 0] += count }
        }
        self.bySource = sums[.source] ?? [:]
        self.topIPs = topList(.ip)
        self.topActors = topList(.actor)
        self.failedLogins = sums[.failed]?[""] ?? 0
        self.failedLoginTopIPs = topList(.failedIP)
        for row in timeline { self.timeline[row.start, default: 0] += row.count }
    }

    /// Top-list order: higher count first, then key by UTF-8 bytes (as the stores sort).
    public static func ranks(_ lhs: Entry, _ rhs: Entry) -> Bool {
        lhs.count != rhs.count ? lhs.count > rhs.count : Array(lhs.key.utf8).lexicographicallyPrecedes(Array(rhs.key.utf8))
    }
}
