import Foundation

/// The recent matching events of every (rule, group key), in event time, for threshold rules
/// (kept with their evidence summaries, so an alert opened by a window lists its events).
///
/// `record` answers how many events of the group fall in the window that ends at the new
/// event's time (`time - window ≤ t ≤ time`). Events may arrive out of time order; each is
/// judged by the window ending at its own time. Memory is bounded by `prune`, which forgets
/// everything older than the longest window before the newest time seen.
public struct ThresholdWindows: Sendable {
    struct Key: Hashable {
        let rule: UUID
        let group: String
    }

    private var times: [Key: [AlertEvidence]] = [:]
    private(set) var newest: Timestamp?

    public init() {}

    /// Counts `entry` into the group's window and returns how many events the window ending at
    /// its time holds.
    public mutating func record(rule: UUID, group: String, _ entry: AlertEvidence, windowSeconds: Int) -> Int {
        let key = Key(rule: rule, group: group)
        let time = entry.occurredAt
        var list = self.times.removeValue(forKey: key) ?? []
        // Sorted insert: almost always an append.
        var index = list.endIndex
        while index > list.startIndex, list[index - 1].occurredAt > time { index -= 1 }
        list.insert(entry, at: index)
        let start = time.adding(seconds: -Int64(windowSeconds))
        let count = list[..<(index + 1)].reversed().prefix { $0.occurredAt >= start }.count
        self.times[key] = list
        if self.newest.map({ time > $0 }) ?? true { self.newest = time }
        return count
    }

    /// The group's events in the window ending at `time`, oldest first, at most `limit`.
    public func window(rule: UUID, group: String, endingAt time: Timestamp, windowSeconds: Int, limit: Int) -> [AlertEvidence] {
        let start = time.adding(seconds: -Int64(windowSeconds))
        let list = self.times[Key(rule: rule, group: group)] ?? []
        return Array(list.lazy.filter { $0.occurredAt >= start && $0.occurredAt <= time }.prefix(limit))
    }

    /// Forgets events older than `seconds` before the newest event seen.
    public mutating func prune(keepingSeconds seconds: Int) {
        guard let newest = self.newest else { return }
        let cutoff = newest.adding(seconds: -Int64(seconds))
        for (key, list) in self.times {
            let kept = list.drop { $0.occurredAt < cutoff }
            if kept.isEmpty {
                self.times[key] = nil
            } else if kept.count != list.count {
                self.times[key] = Array(kept)
            }
        }
    }

    /// Groups currently tracked (for metrics and tests).
    public var groupCount: Int { self.times.count }
}
