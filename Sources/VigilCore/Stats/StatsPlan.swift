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
    /// what any store keeping hour and day counts (events' rollups, alerts' counts) reads. With
    /// `minutes`, for a store that also keeps minute counts for every kind (alerts' counts),
    /// whole minutes at the hours' edges come from those, and only seconds are raw.
    public init(from: Timestamp, to: Timestamp, timelineLevel: RollupLevel = .hour, minutes: Bool = false) {
        self.timelineLevel = timelineLevel
        self.rollups = []
        self.raw = []
        let (dayStart, dayEnd) = (StatsBucket.day.ceiling(from), StatsBucket.day.floor(to))
        if dayStart < dayEnd {
            self.rollups.append(Segment(level: .day, from: dayStart, to: dayEnd))
            self.addHours(from: from, to: dayStart, minutes: minutes)
            self.addHours(from: dayEnd, to: to, minutes: minutes)
        } else {
            self.addHours(from: from, to: to, minutes: minutes)
        }
        self.rollups.sort { $0.from < $1.from }
        self.raw.sort { $0.from < $1.from }
    }

    private mutating func addHours(from: Timestamp, to: Timestamp, minutes: Bool) {
        guard from < to else { return }
        let (hourStart, hourEnd) = (StatsBucket.hour.ceiling(from), StatsBucket.hour.floor(to))
        guard hourStart < hourEnd else {
            self.addRaw(from: from, to: to, minutes: minutes)
            return
        }
        self.rollups.append(Segment(level: .hour, from: hourStart, to: hourEnd))
        self.addRaw(from: from, to: hourStart, minutes: minutes)
        self.addRaw(from: hourEnd, to: to, minutes: minutes)
    }

    /// `[from, to)` (within an hour's edge) raw, or as whole minutes and raw seconds.
    private mutating func addRaw(from: Timestamp, to: Timestamp, minutes: Bool) {
        guard from < to else { return }
        let (minuteStart, minuteEnd) = (StatsBucket.minute.ceiling(from), StatsBucket.minute.floor(to))
        guard minutes, minuteStart < minuteEnd else {
            self.raw.append(Segment(level: .minute, from: from, to: to))
            return
        }
        self.rollups.append(Segment(level: .minute, from: minuteStart, to: minuteEnd))
        if from < minuteStart { self.raw.append(Segment(level: .minute, from: from, to: minuteStart)) }
        if minuteEnd < to { self.raw.append(Segment(level: .minute, from: minuteEnd, to: to)) }
    }
}
