import Foundation

/// The recent matching events of every (rule, group key), in event time, for threshold rules.
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

    private var times: [Key: [Timestamp]] = [:]
    private(set) var newest: Timestamp?

    public init() {}

    /// Counts `time` into the group's window and returns how many events the window holds.
    public mutating func record(rule: UUID, group: String, at time: Timestamp, windowSeconds: Int) -> Int {
        let key = Key(rule: rule, group: group)
        var list = self.times[key, default: []]
        // Sorted insert: almost always an append.
        var index = list.endIndex
        while index > list.startIndex, list[index - 1] > time { index -= 1 }
        list.insert(time, at: index)
        let start = time.adding(seconds: -Int64(windowSeconds))
        let count = list[..<(index + 1)].reversed().prefix { $0 >= start }.count
        self.times[key] = list
        if self.newest.map({ time > $0 }) ?? true { self.newest = time }
        return count
    }

    /// Forgets events older than `seconds` before the newest event seen.
    public mutating func prune(keepingSeconds seconds: Int) {
        guard let newest = self.newest else { return }
        let cutoff = newest.adding(seconds: -Int64(seconds))
        for (key, list) in self.times {
            let kept = list.drop { $0 < cutoff }
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
