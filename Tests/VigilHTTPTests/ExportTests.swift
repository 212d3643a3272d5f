import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore

@testable import VigilHTTP

@Suite struct ExportTests {
    /// Splits RFC 4180 text into rows of fields (quoted fields may hold `,`, `"` and line breaks).
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text.unicodeScalars)[...]
        while let scalar = characters.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if characters.first == "\"" {
                        field.unicodeScalars.append("\"")
                        characters.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
            } else if scalar == "\"" {
                quoted = true
            } else if scalar == "," {
                row.append(field)
                field = ""
            } else if scalar == "\r", characters.first == "\n" {
                characters.removeFirst()
                row.append(field)
                rows.append(row)
                (row, field) = ([], "")
            } else {
                field.unicodeScalars.append(scalar)
            }
        }
        if !row.isEmpty || !field.isEmpty { rows.append(row + [field]) }
        return rows
    }

    /// The events `GET /api/v1/events` returns for `query`, oldest first, every page.
    static func listed(_ client: some TestClientProtocol, _ token: String, _ query: String) async throws -> [[String: Any]] {
        var items: [[String: Any]] = []
        var cursor: String?
        repeat {
            let page = try await client.request(
                .get,
                "/api/v1/events?order=asc&limit=1000&\(query)" + (cursor.map { "&cursor=\($0)" } ?? ""),
                token: token
            )
            .object()
            items += page["items"] as? [[String: Any]] ?? []
            cursor = page["next_cursor"] as? String
        } while cursor != nil
        return items
    }

    @Test func bothFormatsHonourEveryFilterAcrossPages() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            // More than one export page (the first holds 1,000 events) of one source, and a few others.
            for batch in 0..<3 {
                let items = (0..<800).map { index in
                    let n = batch * 800 + index
                    return
                        #"{"type":"\#(n % 2 == 0 ? "file.read" : "file.write")","source":"bulk","actor":"user-\#(n % 5)","severity":"\#(n % 3 == 0 ? "high" : "low")","ip":"10.9.\#(n % 4).1","occurred_at":"2026-01-0\#(1 + n % 9)T10:00:00Z","description":"row \#(n) token\#(n % 10)","details":{"n":\#(n),"k":"\#(n % 2)"}}"#
                }
                #expect(
                    try await client.request(.post, "/api/v1/events/batch", token: admin, json: "[" + items.joined(separator: ",") + "]").status
                        == .created
                )
            }
            #expect(try await client.ingest(admin, #"{"type":"file.read","source":"other","actor":"user-1"}"#).status == .created)
            for filter in [
                "source=bulk", "source=bulk&type=file.write", "actor=user-3&min_severity=high", "ip=10.9.2.0/24&source=bulk",
                "q=token7", "details.k=1&severity=low", "from=2026-01-03T00:00:00Z&to=2026-01-05T00:00:00Z", "source=bulk&order=desc",
            ] {
                let expected = try await Self.listed(client, admin, filter.replacingOccurrences(of: "&order=desc", with: ""))
                let ids = expected.compactMap { $0["id"] as? String }
                let wantIDs = filter.hasSuffix("order=desc") ? ids.reversed() : ids
                #expect(!ids.isEmpty, "\(filter)")

                let ndjson = try await client.request(.get, "/api/v1/events/export?format=ndjson&\(filter)", token: admin)
                #expect(ndjson.status == .ok && ndjson.headers[.contentType] == "application/x-ndjson")
                let lines = ndjson.text.split(separator: "\n", omittingEmptySubsequences: false)
                #expect(lines.last == "")
                let exported = try lines.dropLast().map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
                #expect(exported.compactMap { $0["id"] as? String } == Array(wantIDs), "\(filter)")
                // Exactly as the API returns each event.
                let byID = Dictionary(uniqueKeysWithValues: expected.map { ($0["id"] as! String, $0) })
                #expect(exported.allSatisfy { NSDictionary(dictionary: $0).isEqual(to: byID[$0["id"] as! String]!) }, "\(filter)")

                let csv = try await client.request(.get, "/api/v1/events/export?format=csv&\(filter)", token: admin)
                #expect(csv.headers[.contentType] == "text/csv; charset=utf-8; header=present")
                let disposition = try #require(csv.headers[.contentDisposition])
                #expect(disposition.hasPrefix("attachment; filename=\"vigil-events-") && disposition.hasSuffix(".csv\""))
                let rows = Self.parseCSV(csv.text)
                #expect(rows.first == EventCSV.columns)
                #expect(rows.dropFirst().map { $0[0] } == Array(wantIDs), "\(filter)")
                #expect(rows.allSatisfy { $0.count == EventCSV.columns.count })
            }
        }
    }

    @Test func csvQuotesAndNeutralisesFormulas() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            let texts = ["=1+2", "+SUM(A1)", "-3", "@cmd", "\tTab", "\rCR", "a, \"quoted\"\nnext line", "Grüße 東京 🔐", "safe - text"]
            for text in texts {
                let json = try String(
                    decoding: JSONSerialization.data(withJSONObject: ["type": "csv.case", "actor": text, "description": text]),
                    as: UTF8.self
                )
                #expect(try await client.ingest(admin, json).status == .created)
            }
            let csv = try await client.request(.get, "/api/v1/events/export?format=csv&type=csv.case", token: admin)
            let rows = Self.parseCSV(csv.text).dropFirst()
            let actor = try #require(EventCSV.columns.firstIndex(of: "actor"))
            let description = try #require(EventCSV.columns.firstIndex(of: "description"))
            let expected = texts.map { text in ["=", "+", "-", "@", "\t", "\r"].contains(where: text.hasPrefix) ? "'" + text : text }
            #expect(rows.map { $0[actor] } == expected)
            #expect(rows.map { $0[description] } == expected)
            // The same events in NDJSON are untouched.
            let ndjson = try await client.request(.get, "/api/v1/events/export?format=ndjson&type=csv.case", token: admin)
            let actors = try ndjson.text.split(separator: "\n").map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["actor"] as? String
            }
            #expect(actors == texts)
        }
    }

    @Test func slotsAreBoundedAndComeBackWhenTheirHolderGoes() {
        let slots = ExportSlots(limit: 2)
        var first = slots.acquire()
        let second = slots.acquire()
        #expect(first != nil && second != nil)
        #expect(slots.acquire() == nil)
        first = nil
        #expect(slots.taken == 1)
        #expect(slots.acquire() != nil)
        #expect(slots.taken == 1, "a slot nobody holds is given back at once")
        withExtendedLifetime(second) {}
    }

    @Test func exportsBeyondTheLimitAreRefusedAndFinishedOnesFreeTheirSlot() async throws {
        var configuration = TestApp.configuration()
        configuration.exportConcurrency = 1
        try await TestApp.run(configuration) { client in
            let admin = try await client.adminToken()
            // With one slot, a slot kept after the first export would refuse the second.
            for format in ["csv", "ndjson", "csv"] {
                #expect(try await client.request(.get, "/api/v1/events/export?format=\(format)", token: admin).status == .ok)
            }
        }
    }

    @Test func onlyAdminsExportAndEveryExportIsAudited() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            try await client.makeAnalyst(admin: admin)
            let analyst = try await client.login("ann", "analyst-pass-1").token
            let user = try await client.makeUser("uma")
            for token in [analyst, user] {
                try await client.request(.get, "/api/v1/events/export?format=csv", token: token).expectProblem(.forbidden, code: "forbidden")
            }
            try await client.request(.get, "/api/v1/events/export").expectProblem(.unauthorized, code: "unauthenticated")
            let denied = try await Self.listed(client, admin, "type=access.denied")
            #expect(denied.filter { ($0["details"] as? [String: Any])?["path"] as? String == "/api/v1/events/export" }.count == 2)

            let bad = try await client.request(.get, "/api/v1/events/export?format=xlsx&limit=5&cursor=x&severity=loud", token: admin)
            try bad.expectProblem(.badRequest, code: "validation_failed")
            #expect(Set(try bad.errorFields()) == ["format", "limit", "cursor", "severity"])

            #expect(try await client.ingest(admin, #"{"type":"x.y","actor":"zed"}"#).status == .created)
            let exported = try await client.request(.get, "/api/v1/events/export?format=ndjson&actor=zed&type=x.y&type=x.z", token: admin)
            #expect(exported.text.split(separator: "\n").count == 1)
            let audit = try await Self.listed(client, admin, "type=events.exported")
            #expect(audit.count == 1)
            let details = try #require(audit.first?["details"] as? [String: Any])
            #expect(audit.first?["actor"] as? String == "admin" && audit.first?["outcome"] as? String == "success")
            #expect(details["rows"] as? Int == 1 && details["completed"] as? Bool == true && details["format"] as? String == "ndjson")
            let filters = try #require(details["filters"] as? [String: Any])
            #expect(filters["actor"] as? String == "zed" && filters["type"] as? [String] == ["x.y", "x.z"])
        }
    }
}
