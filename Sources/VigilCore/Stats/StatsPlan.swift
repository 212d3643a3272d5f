/// How a `StatsQuery` is counted exactly and cheaply: whole days from day rollups, whole hours
/// at the window's edges from hour rollups, and what is left (minutes at the edges of a
/// minute-bucket window) from the events themselves. Filtered queries read only events.
///
/// Rollups cover the log up to their checkpoint; stores add the events committed after it
/// that fall in `rollups`' ranges, in the same snapshot, so the result is exact either way.
public struct StatsPlan: Sendable, Equatable {
    public struct Segment: Sendable, Equatable {
        public var level: RollupLevel
        public var from: Timestamp
        public var to: Timestamp

        public init(level: RollupLevel, from: Timestamp, to: Timestamp) {
            self.level = level
            self.from = from
            self.to = to
        }
    }

    /// Ranges counted from rollups of their level (whole buckets of it).
    public var rollups: [Segment]
    /// Ranges counted from the events (level unused: `.minute`).
    public var raw: [Segment]
    /// The rollup level whose totals give the timeline inside `rollups`' ranges.
    public var timelineLevel: RollupLevel

    public init(_ query: StatsQuery) {
        self.init(from: query.from, to: query.to, timelineLevel: RollupLevel(query.bucket))
        if query.isFiltered {
            self.rollups = []
            self.raw = [Segment(level: .minute, from: query.from, to: query.to)]
        }
    }

    /// The window `[from, to)` as whole UTC days, whole hours at their edges and the rest raw:
    /// what any store keeping hour and day counts (events' rollups, alerts' counts) reads.
    public init(from: Timestamp, to: Timestamp, timelineLevel: RollupLevel = .hour) {
        self.timelineLevel = timelineLevel
        self.rollups = []
        self.raw = []
        let (dayStart, dayEnd) = (StatsBucket.day.ceiling(from), StatsBucket.day.floor(to))
        if dayStart < dayEnd {
            self.rollups.append(Segment(level: .day, from: dayStart, to: dayEnd))
            self.addHours(from: from, to: dayStart)
            self.addHours(from: dayEnd, to: to)
        } else {
            self.addHours(from: from, to: to)
        }
        self.rollups.sort { $0.from < $1.from }
        self.raw.sort { $0.from < $1.from }
    }

    private mutating func addHours(from: Timestamp, to: Timestamp) {
        guard from < to else { return }
        let (hourStart, hourEnd) = (StatsBucket.hour.ceiling(from), StatsBucket.hour.floor(to))
        guard hourStart < hourEnd else {
            self.raw.append(Segment(level: .minute, from: from, to: to))
            return
        }
        self.rollups.append(Segment(level: .hour, from: hourStart, to: hourEnd))
        if from < hourStart { self.raw.append(Segment(level: .minute, from: from, to: hourStart)) }
        if hourEnd < to { self.raw.append(Segment(level: .minute, from: hourEnd, to: to)) }
    }
}
