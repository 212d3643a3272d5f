import Foundation

/// The recent matching events of every (rule, group key), in event time, for threshold rules
/// (kept with their evidence summaries, so an alert opened by a window lists its events).
///
/// `record` answers how many events of the group the fullest window of the rule's length that
/// contains the new event holds. Events may arrive out of time order (clients send their own
/// times; PostgreSQL commits in any order): a late event completes the windows it falls in. Memory is bounded by `prune`, which forgets
/// everything older than the longest window before the newest time seen.
public struct ThresholdWindows: Sendable {
    struct Key: Hashable {
        let rule: UUID
        let group: String
    }

    private var times: [Key: [AlertEvidence]] = [:]
    private(set) var newest: Timestamp?

    public init() {}

    /// Counts `entry` into the group's window and returns the most events any window of
    /// `windowSeconds` that contains the entry's time holds, and where that window starts.
    /// For events in time order that is the window ending at the new event; a late event
    /// (older than others already seen) also completes windows that reach past it.
    public mutating func record(rule: UUID, group: String, _ entry: AlertEvidence, windowSeconds: Int) -> (count: Int, start: Timestamp) {
        let key = Key(rule: rule, group: group)
        let time = entry.occurredAt
        var list = self.times.removeValue(forKey: key) ?? []
        // Sorted insert: almost always an append.
        var index = list.endIndex
        while index > list.startIndex, list[index - 1].occurredAt > time { index -= 1 }
        list.insert(entry, at: index)
        let width = Int64(windowSeconds) * 1_000_000
        // Windows [start, start + width] containing `time` start at an event in [time - width, time];
        // slide the end pointer forward as the start moves.
        var best = (count: 1, start: time)
        var first = index
        while first > list.startIndex, list[first - 1].occurredAt.microseconds >= time.microseconds - width { first -= 1 }
        var end = index
        for start in first...index {
            let limit = list[start].occurredAt.microseconds + width
            while end + 1 < list.endIndex, list[end + 1].occurredAt.microseconds <= limit { end += 1 }
            if end - start + 1 > best.count { best = (end - start + 1, list[start].occurredAt) }
        }
        self.times[key] = list
        if self.newest.map({ time > $0 }) ?? true { self.newest = time }
        return best
    }

    /// The group's events in the window `[start, start + windowSeconds]`, oldest first, at most `limit`.
    public func window(rule: UUID, group: String, startingAt start: Timestamp, windowSeconds: Int, limit: Int) -> [AlertEvidence] {
        let end = start.adding(seconds: Int64(windowSeconds))
        let list = self.times[Key(rule: rule, group: group)] ?? []
        return Array(list.lazy.filter { $0.occurredAt >= start && $0.occurredAt <= end }.prefix(limit))
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
