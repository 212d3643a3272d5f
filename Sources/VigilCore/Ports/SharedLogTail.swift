import Metrics

/// Lets the followers of the log that run side by side — the detector and the ledger's sealer —
/// share their reads of its tail, so each committed event is fetched and decoded once rather
/// than once per follower (on PostgreSQL that second read was half of what sealing cost).
///
/// A run of events one follower read from the engine is kept, with the position after each
/// event, until another follower has read to its end. A run is a fact about the log that
/// cannot change — by the `EventLogReader` contract no event can later appear inside it — so
/// serving it from memory answers exactly what the engine would, only possibly fewer events:
/// a follower must treat only an empty batch as the end of the log. Reads bounded by anything
/// but `after` (replays, backtests, audits) go straight to the engine.
///
/// Two followers at the end of the log at once share one read. A follower that fell behind what
/// is kept reads the engine until it reaches kept events again, then continues from memory
/// (its read is cut short there, not kept: nobody else needs it). At most `maxEvents` events
/// and about `maxBytes` of them are kept (an event's details alone may be 32 KiB); the oldest
/// runs go first, so a follower that stopped (or a node that lost leadership) costs memory
/// bounded by them.
public actor SharedLogTail: EventLogReader {
    private struct Run {
        let start: LogPosition?
        let events: [Event]
        /// The position after each event.
        let positions: [LogPosition]
        let bytes: Int
    }

    private let base: any EventLogReader
    private let maxEvents: Int
    private let maxBytes: Int
    private var runs: [Int: Run] = [:]
    /// Run numbers, oldest first; the first is always kept (`drop` trims the front).
    private var order: [Int] = []
    /// For each position a kept run can continue from: the run and how many of its events
    /// lie before that position.
    private var entries: [LogPosition?: (run: Int, offset: Int)] = [:]
    private var nextRun = 0
    /// Reads of the engine in flight, by the position they read after.
    private var reading: [LogPosition?: Task<LogBatch, any Error>] = [:]
    private var keptEvents = 0
    private var keptBytes = 0
    private let fromMemory: Counter
    private let fromEngine: Counter

    public init(base: any EventLogReader, maxEvents: Int = 50_000, maxBytes: Int = 64 << 20, metrics: any MetricsFactory) {
        self.base = base
        self.maxEvents = maxEvents
        self.maxBytes = maxBytes
        self.fromMemory = Counter(label: "vigil_log_tail_events_total", dimensions: [("read", "memory")], factory: metrics)
        self.fromEngine = Counter(label: "vigil_log_tail_events_total", dimensions: [("read", "engine")], factory: metrics)
    }

    /// Events kept now (for tests).
    public var keptEventCount: Int { self.keptEvents }

    public func committedEvents(in range: LogRange, limit: Int) async throws -> LogBatch {
        guard range.through == nil, range.occurredFrom == nil, range.occurredTo == nil, limit > 0 else {
            return try await self.base.committedEvents(in: range, limit: limit)
        }
        if let batch = self.take(after: range.after, limit: limit) { return batch }
        // Both at the end of the log at once: the second waits for the first one's read.
        if let pending = self.reading[range.after] {
            _ = try? await pending.value
            if let batch = self.take(after: range.after, limit: limit) { return batch }
        }
        let read = Task {
            // Kept before anyone waiting on this read resumes.
            defer { self.reading[range.after] = nil }
            let batch = try await self.base.committedEvents(in: range, limit: limit)
            self.fromEngine.increment(by: batch.events.count)
            return self.keep(batch, after: range.after)
        }
        self.reading[range.after] = read
        return try await withTaskCancellationHandler {
            try await read.value
        } onCancel: {
            read.cancel()
        }
    }

    /// Up to `limit` kept events after `position`, on through every kept run that continues
    /// where the last one ended; drops each run once it was read to its end.
    ///
    /// A follower reading to the end of the log leaves a run per read — under load, dozens of
    /// small ones a second. Served one run per read, a follower that spaces its reads (the
    /// detector waits 200 ms after any batch short of its limit) took ~50 events a step while
    /// thousands arrived, and fell behind for as long as the load lasted: alerts came seconds
    /// late, or not within 10 s.
    private func take(after position: LogPosition?, limit: Int) -> LogBatch? {
        var events: [Event] = []
        var positions: [LogPosition] = []
        var next = position
        while events.count < limit, let (number, offset) = self.entries[next], let run = self.runs[number] {
            let end = min(run.events.count, offset + limit - events.count)
            events += run.events[offset..<end]
            positions += run.positions[offset..<end]
            if end == run.events.count { self.drop(number) }
            next = positions.last
        }
        guard let last = positions.last else { return nil }
        self.fromMemory.increment(by: events.count)
        return LogBatch(events: events, position: last, positions: positions)
    }

    /// Keeps `batch` as a run, or — when it ran into events kept already, so another follower
    /// is ahead — returns it cut short where they begin: the next read continues from memory.
    private func keep(_ batch: LogBatch, after position: LogPosition?) -> LogBatch {
        guard !batch.events.isEmpty, batch.positions.count == batch.events.count else { return batch }
        if let known = batch.positions.firstIndex(where: { self.entries[$0] != nil }) {
            return LogBatch(
                events: Array(batch.events[...known]),
                position: batch.positions[known],
                positions: Array(batch.positions[...known])
            )
        }
        // Another follower may have kept the same run while this one read it.
        guard self.entries[position] == nil else { return batch }
        let number = self.nextRun
        self.nextRun += 1
        let bytes = batch.events.reduce(0) { $0 + $1.footprint }
        self.runs[number] = Run(start: position, events: batch.events, positions: batch.positions, bytes: bytes)
        self.order.append(number)
        self.entries[position] = (number, 0)
        for (index, after) in batch.positions.dropLast().enumerated() { self.entries[after] = (number, index + 1) }
        self.keptEvents += batch.events.count
        self.keptBytes += bytes
        while self.keptEvents > self.maxEvents || self.keptBytes > self.maxBytes, let oldest = self.order.first { self.drop(oldest) }
        return batch
    }

    private func drop(_ number: Int) {
        guard let run = self.runs.removeValue(forKey: number) else { return }
        self.keptEvents -= run.events.count
        self.keptBytes -= run.bytes
        for position in [run.start] + run.positions.dropLast().map(Optional.some) where self.entries[position]?.run == number {
            self.entries[position] = nil
        }
        while let first = self.order.first, self.runs[first] == nil { self.order.removeFirst() }
    }
}
