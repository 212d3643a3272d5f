import Foundation
import Metrics
import Testing
import VigilCore

/// `SharedLogTail` against an in-memory log that counts the events it had to read.
@Suite struct SharedLogTailTests {
    /// A log of `count` events whose position after event n is "p:n".
    actor CountingLog: EventLogReader {
        let events: [Event]
        private(set) var eventsRead = 0
        private(set) var ranged = 0

        init(count: Int, details: String = "{}") {
            self.events = (1...count).map { index in
                Event(
                    id: UUID(),
                    type: "tail.test",
                    occurredAt: Timestamp(microseconds: Int64(index)),
                    receivedAt: Timestamp(microseconds: Int64(index)),
                    details: details,
                    ingestedBy: "test"
                )
            }
        }

        func committedEvents(in range: LogRange, limit: Int) async throws -> LogBatch {
            if range.through != nil || range.occurredFrom != nil { self.ranged += 1 }
            let start = range.after.map { Int($0.token.dropFirst(2))! } ?? 0
            let end = min(self.events.count, start + limit)
            guard start < end else { return LogBatch(events: [], position: range.after) }
            self.eventsRead += end - start
            let positions = (start + 1...end).map { LogPosition(token: "p:\($0)") }
            return LogBatch(events: Array(self.events[start..<end]), position: positions.last, positions: positions)
        }
    }

    static func follow(_ log: any EventLogReader, from position: LogPosition?, limit: Int) async throws -> ([UUID], LogPosition?) {
        let batch = try await log.committedEvents(after: position, limit: limit)
        return (batch.events.map(\.id), batch.position)
    }

    @Test func aSecondFollowerIsServedFromMemoryEvenFromTheMiddleOfARun() async throws {
        let log = CountingLog(count: 100)
        let tail = SharedLogTail(base: log, metrics: NOOPMetricsHandler.instance)
        // The detector reads 40, then 40.
        let first = try await tail.committedEvents(after: nil, limit: 40)
        let second = try await tail.committedEvents(after: first.position, limit: 40)
        #expect(await log.eventsRead == 80)
        // The sealer reads 15 at a time: from memory, starting and ending inside runs.
        var position: LogPosition?
        var seen: [UUID] = []
        for _ in 0..<6 {
            let batch = try await tail.committedEvents(after: position, limit: 15)
            #expect(!batch.events.isEmpty && batch.events.count <= 15)
            #expect(batch.positions.last == batch.position)
            seen += batch.events.map(\.id)
            position = batch.position
        }
        #expect(await log.eventsRead == 80, "nothing read twice")
        #expect(seen == Array((first.events + second.events).map(\.id).prefix(seen.count)))
        // Past what the detector read, the sealer reads the engine; the detector then follows it.
        while seen.count < 100 {
            let batch = try await tail.committedEvents(after: position, limit: 15)
            seen += batch.events.map(\.id)
            position = batch.position
        }
        #expect(seen == log.events.map(\.id))
        // The sealer's runs were 15 and 5 long: the detector gets both in one read.
        let third = try await tail.committedEvents(after: second.position, limit: 40)
        #expect(third.events.map(\.id) == Array(log.events[80..<100].map(\.id)))
        #expect(third.positions.count == 20 && third.position == LogPosition(token: "p:100"))
        #expect(await tail.keptEventCount == 0, "every run was read by both")
        #expect(await log.eventsRead == 100)
        #expect(try await tail.committedEvents(after: position, limit: 15).events.isEmpty)
    }

    /// A follower reading to the end of a busy log leaves many small runs; one that spaces its
    /// reads must get them all at once, or it falls behind by the events of every run but one.
    @Test func aReadTakesEveryContiguousRunUpToItsLimit() async throws {
        let log = CountingLog(count: 500)
        let tail = SharedLogTail(base: log, metrics: NOOPMetricsHandler.instance)
        var sealer: LogPosition?
        for _ in 0..<50 { sealer = try await tail.committedEvents(after: sealer, limit: 10).position }
        #expect(await tail.keptEventCount == 500)
        let capped = try await tail.committedEvents(after: nil, limit: 125)
        #expect(capped.events.map(\.id) == Array(log.events.prefix(125).map(\.id)))
        #expect(capped.positions == (1...125).map { LogPosition(token: "p:\($0)") })
        #expect(await tail.keptEventCount == 380, "runs read to their end are dropped, the one cut inside stays")
        let rest = try await tail.committedEvents(after: capped.position, limit: 1000)
        #expect(rest.events.map(\.id) == Array(log.events[125...].map(\.id)))
        #expect(rest.position == LogPosition(token: "p:500"))
        #expect(await tail.keptEventCount == 0)
        #expect(await log.eventsRead == 500, "nothing read twice")
    }

    @Test func runsReadToTheirEndAreDroppedAndMemoryIsBounded() async throws {
        let log = CountingLog(count: 1_000)
        let tail = SharedLogTail(base: log, maxEvents: 250, metrics: NOOPMetricsHandler.instance)
        var position: LogPosition?
        for _ in 0..<10 { position = try await tail.committedEvents(after: position, limit: 100).position }
        #expect(await tail.keptEventCount <= 250, "the oldest runs were evicted")
        // Evicted: read from the engine again, correctly.
        let again = try await tail.committedEvents(after: nil, limit: 100)
        #expect(again.events.map(\.id) == Array(log.events.prefix(100).map(\.id)))
        #expect(await log.eventsRead == 1_100)
        // A run another follower read to its end is dropped.
        let kept = await tail.keptEventCount
        let last = try await tail.committedEvents(after: LogPosition(token: "p:900"), limit: 100)
        #expect(last.events.map(\.id) == Array(log.events.suffix(100).map(\.id)))
        #expect(await tail.keptEventCount == kept - 100)
        #expect(await log.eventsRead == 1_100)
    }

    @Test func aFollowerBehindWhatIsKeptRejoinsItWhereItBegins() async throws {
        let log = CountingLog(count: 400)
        let tail = SharedLogTail(base: log, maxEvents: 250, metrics: NOOPMetricsHandler.instance)
        var ahead: LogPosition?
        for _ in 0..<3 { ahead = try await tail.committedEvents(after: ahead, limit: 100).position }
        #expect(await tail.keptEventCount == 200, "the first run was evicted")
        // The follower behind reads the engine and is cut short where kept events begin.
        let behind = try await tail.committedEvents(after: nil, limit: 150)
        #expect(behind.events.map(\.id) == Array(log.events.prefix(100).map(\.id)))
        #expect(behind.position == LogPosition(token: "p:100"))
        #expect(await tail.keptEventCount == 200, "a read behind the others is not kept")
        let next = try await tail.committedEvents(after: behind.position, limit: 150)
        #expect(next.events.map(\.id) == Array(log.events[100..<250].map(\.id)), "from memory, across both kept runs")
        #expect(await log.eventsRead == 450)
    }

    /// The detector had followed the whole log before the ledger was turned on; the sealer
    /// starts from the beginning.
    @Test func aFollowerFromTheStartReachesOneAtTheEnd() async throws {
        let log = CountingLog(count: 20_000)
        let tail = SharedLogTail(base: log, maxEvents: 5_000, metrics: NOOPMetricsHandler.instance)
        let atEnd = try await tail.committedEvents(after: LogPosition(token: "p:19990"), limit: 1000)
        #expect(atEnd.events.count == 10)
        var position: LogPosition?
        var seen = 0
        for _ in 0..<100 {
            let batch = try await tail.committedEvents(after: position, limit: 5000)
            if batch.events.isEmpty { break }
            seen += batch.events.count
            position = batch.position
        }
        #expect(seen == 20_000)
        #expect(position == LogPosition(token: "p:20000"))
    }

    @Test func bigEventsAreBoundedByBytes() async throws {
        let log = CountingLog(count: 100, details: String(repeating: "x", count: 30_000))
        let tail = SharedLogTail(base: log, maxBytes: 1 << 20, metrics: NOOPMetricsHandler.instance)
        var position: LogPosition?
        for _ in 0..<10 { position = try await tail.committedEvents(after: position, limit: 10).position }
        #expect(await tail.keptEventCount == 30, "three runs of ten fit in 1 MiB")
    }

    @Test func boundedReadsGoToTheEngine() async throws {
        let log = CountingLog(count: 50)
        let tail = SharedLogTail(base: log, metrics: NOOPMetricsHandler.instance)
        _ = try await tail.committedEvents(after: nil, limit: 50)
        let ranged = try await tail.committedEvents(
            in: LogRange(through: LogPosition(token: "p:50"), occurredFrom: Timestamp(microseconds: 0)),
            limit: 50
        )
        #expect(ranged.events.count == 50)
        #expect(await log.ranged == 1)
        #expect(await log.eventsRead == 100)
        #expect(await tail.keptEventCount == 50, "a bounded read is not kept")
    }
}
