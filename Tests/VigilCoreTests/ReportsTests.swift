import Foundation
import Testing

@testable import VigilCore

@Suite struct ReportsTests {
    static let now = Timestamp(rfc3339: "2026-11-23T14:25:30Z")!

    func plan(_ parameters: [(String, String)]) throws -> (StatsQuery, StatsPlan) {
        let query = try StatsQuery.parse(parameters, now: Self.now).get()
        return (query, StatsPlan(query))
    }

    func segment(_ level: RollupLevel, _ from: String, _ to: String) -> StatsPlan.Segment {
        StatsPlan.Segment(level: level, from: Timestamp(rfc3339: from)!, to: Timestamp(rfc3339: to)!)
    }

    @Test func windowsWidenToWholeBucketsAndDefaultToTheLastDay() throws {
        let (query, _) = try plan([])
        #expect(query.bucket == .hour && query.top == 10)
        #expect(query.from == Timestamp(rfc3339: "2026-11-22T15:00:00Z") && query.to == Timestamp(rfc3339: "2026-11-23T15:00:00Z"))
        #expect(query.bucketStarts.count == 24)
        let (minutes, _) = try plan([("from", "2026-11-23T10:00:59.999Z"), ("to", "2026-11-23T10:02:00.001Z"), ("bucket", "minute")])
        #expect(minutes.from == Timestamp(rfc3339: "2026-11-23T10:00:00Z") && minutes.to == Timestamp(rfc3339: "2026-11-23T10:03:00Z"))
        #expect(minutes.bucketStarts.count == 3)
        let (days, _) = try plan([("to", "2026-11-23T00:00:00Z"), ("bucket", "day")])
        #expect(days.from == Timestamp(rfc3339: "2026-11-22T00:00:00Z") && days.bucketStarts.count == 1)
    }

    @Test func plansUseDaysThenHoursThenEvents() throws {
        // Whole days inside, hours at both edges, raw minutes at both edges.
        let (_, minutes) = try plan([("from", "2026-11-20T21:17:00Z"), ("to", "2026-11-23T05:42:00Z"), ("bucket", "minute")])
        #expect(
            minutes.rollups == [
                segment(.hour, "2026-11-20T22:00:00Z", "2026-11-21T00:00:00Z"), segment(.day, "2026-11-21T00:00:00Z", "2026-11-23T00:00:00Z"),
                segment(.hour, "2026-11-23T00:00:00Z", "2026-11-23T05:00:00Z"),
            ]
        )
        #expect(
            minutes.raw == [
                segment(.minute, "2026-11-20T21:17:00Z", "2026-11-20T22:00:00Z"), segment(.minute, "2026-11-23T05:00:00Z", "2026-11-23T05:42:00Z"),
            ]
        )
        #expect(minutes.timelineLevel == .minute)
        // Hour buckets never need events; less than a day is all hours.
        let (_, hours) = try plan([("from", "2026-11-22T19:00:00Z"), ("to", "2026-11-23T07:00:00Z")])
        #expect(hours.rollups == [segment(.hour, "2026-11-22T19:00:00Z", "2026-11-23T07:00:00Z")] && hours.raw.isEmpty)
        // Minutes inside one hour: events only.
        let (_, inside) = try plan([("from", "2026-11-23T10:10:00Z"), ("to", "2026-11-23T10:50:00Z"), ("bucket", "minute")])
        #expect(inside.rollups.isEmpty && inside.raw == [segment(.minute, "2026-11-23T10:10:00Z", "2026-11-23T10:50:00Z")])
        // Any filter (or a user's scope) counts events.
        let (filtered, plan) = try plan([("from", "2026-11-01T00:00:00Z"), ("to", "2026-11-23T00:00:00Z"), ("source", "sshd"), ("bucket", "day")])
        #expect(filtered.isFiltered && plan.rollups.isEmpty && plan.raw == [segment(.minute, "2026-11-01T00:00:00Z", "2026-11-23T00:00:00Z")])
        var scoped = try StatsQuery.parse([], now: Self.now).get()
        #expect(!scoped.isFiltered)
        scoped.events.scopeActor = "uma"
        #expect(scoped.isFiltered)
    }

    @Test func plansWithMinuteCountsLeaveOnlySecondsRaw() {
        let at = { (text: String) in Timestamp(rfc3339: text)! }
        // Days, hours, then whole minutes at the hours' edges; seconds raw.
        let plan = StatsPlan(from: at("2026-11-20T21:17:30Z"), to: at("2026-11-22T05:42:10Z"), minutes: true)
        #expect(
            plan.rollups == [
                segment(.minute, "2026-11-20T21:18:00Z", "2026-11-20T22:00:00Z"), segment(.hour, "2026-11-20T22:00:00Z", "2026-11-21T00:00:00Z"),
                segment(.day, "2026-11-21T00:00:00Z", "2026-11-22T00:00:00Z"), segment(.hour, "2026-11-22T00:00:00Z", "2026-11-22T05:00:00Z"),
                segment(.minute, "2026-11-22T05:00:00Z", "2026-11-22T05:42:00Z"),
            ]
        )
        #expect(
            plan.raw == [
                segment(.minute, "2026-11-20T21:17:30Z", "2026-11-20T21:18:00Z"), segment(.minute, "2026-11-22T05:42:00Z", "2026-11-22T05:42:10Z"),
            ]
        )
        // Inside one minute: raw only. Whole minutes inside one hour: minute counts only.
        let inside = StatsPlan(from: at("2026-11-23T10:10:05Z"), to: at("2026-11-23T10:10:50Z"), minutes: true)
        #expect(inside.rollups.isEmpty && inside.raw == [segment(.minute, "2026-11-23T10:10:05Z", "2026-11-23T10:10:50Z")])
        let whole = StatsPlan(from: at("2026-11-23T10:10:00Z"), to: at("2026-11-23T10:50:00Z"), minutes: true)
        #expect(whole.rollups == [segment(.minute, "2026-11-23T10:10:00Z", "2026-11-23T10:50:00Z")] && whole.raw.isEmpty)
    }

    @Test func badStatsParametersAreNamed() {
        func fields(_ parameters: [(String, String)]) -> Set<String> {
            guard case .failure(let failure) = StatsQuery.parse(parameters, now: Self.now) else { return [] }
            return Set(failure.errors.map(\.field))
        }
        #expect(fields([("bucket", "week"), ("top", "0")]) == ["bucket", "top"])
        #expect(fields([("top", "101"), ("order", "asc"), ("limit", "1"), ("cursor", "x")]) == ["top", "order", "limit", "cursor"])
        #expect(fields([("from", "2026-11-23T10:00:00Z"), ("to", "2026-11-23T09:00:00Z")]) == ["to"])
        #expect(fields([("from", "2026-01-01T00:00:00Z"), ("bucket", "minute")]) == ["bucket"])
        #expect(fields([("from", "2026-11-16T14:26:00Z"), ("bucket", "minute")]).isEmpty)
        #expect(fields([("top", "5"), ("top", "6"), ("nope", "1")]) == ["top", "nope"])
    }

    @Test func csvQuotesOnlyWhatNeedsItAndNeutralisesFormulas() {
        func field(_ text: String) -> String {
            var bytes: [UInt8] = []
            EventCSV.appendField(text, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
        #expect(field("plain text") == "plain text")
        #expect(field("a,b") == "\"a,b\"")
        #expect(field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(field("two\nlines") == "\"two\nlines\"")
        #expect(field("=1+1") == "'=1+1")
        #expect(field("+1") == "'+1" && field("-1") == "'-1" && field("@A1") == "'@A1" && field("\tx") == "'\tx")
        #expect(field("\rx") == "\"'\rx\"")
        #expect(field("=HYPERLINK(\"a\",\"b\")") == "\"'=HYPERLINK(\"\"a\"\",\"\"b\"\")\"")
        #expect(field("a=b") == "a=b" && field("Grüße 東京") == "Grüße 東京")
        let event = Event(
            id: UUID(uuidString: "01a208ca-bc71-7d3c-8dd0-2314c3b04c6f")!,
            type: "t",
            occurredAt: Self.now,
            receivedAt: Self.now,
            actor: "-rm",
            details: #"{"a":"x,y"}"#,
            ingestedBy: "user:a"
        )
        var row: [UInt8] = []
        EventCSV.appendRow(event, to: &row)
        #expect(
            String(decoding: row, as: UTF8.self)
                == "01a208ca-bc71-7d3c-8dd0-2314c3b04c6f,t,2026-11-23T14:25:30.000000Z,2026-11-23T14:25:30.000000Z,info,unknown,'-rm,,,,,,,\"{\"\"a\"\":\"\"x,y\"\"}\",user:a\r\n"
        )
        #expect(EventCSV.header.hasPrefix("id,type,occurred_at,") && EventCSV.header.hasSuffix(",details,ingested_by\r\n"))
    }

    @Test func exportRequestsKeepFiltersAndRefusePages() throws {
        let request = try ExportRequest.parse([("format", "NDJSON"), ("type", "a.b"), ("type", "c.*"), ("actor", "x")]).get()
        #expect(request.format == .ndjson && request.query.order == .asc)
        #expect(request.query.types == ["a.b"] && request.query.typePrefixes == ["c."] && request.query.actor == "x")
        #expect(request.filters == ["type": .array([.string("a.b"), .string("c.*")]), "actor": .string("x")])
        #expect(try ExportRequest.parse([("order", "desc")]).get().query.order == .desc)
        #expect(try ExportRequest.parse([]).get().format == .csv)
        guard
            case .failure(let failure) = ExportRequest.parse([("format", "xml"), ("limit", "1"), ("cursor", "c"), ("format", "csv"), ("ip", "nope")])
        else {
            Issue.record("accepted bad parameters")
            return
        }
        #expect(failure.errors.map(\.field).sorted() == ["cursor", "format", "format", "ip", "limit"])
    }
}
