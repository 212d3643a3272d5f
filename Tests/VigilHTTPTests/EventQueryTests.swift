import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Testing
import VigilCore

@testable import VigilHTTP

@Suite struct EventQueryTests {
    /// The page's events except Vigil's own audit events.
    func items(_ response: TestResponse) throws -> [[String: Any]] {
        try response.ingestedItems()
    }

    @Test func usersSeeOnlyTheirOwnEvents() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            let alice = try await client.makeUser("alice")
            _ = try await client.makeUser("bob")
            for actor in ["alice", "bob", "alice", "carol"] {
                #expect(try await client.ingest(admin, #"{"type":"file.read","actor":"\#(actor)"}"#).status == .created)
            }
            let bobEvent = try await client.ingest(admin, #"{"type":"secret","actor":"bob"}"#).object()["id"] as! String

            let mine = try items(try await client.request(.get, "/api/v1/events", token: alice))
            #expect(mine.count == 2 && mine.allSatisfy { $0["actor"] as? String == "alice" })
            // Users also see Vigil's audit events about themselves (their own logins), and only those.
            let own = try await client.request(.get, "/api/v1/events?source=vigil", token: alice).object()["items"] as? [[String: Any]]
            #expect(own?.isEmpty == false && own?.allSatisfy { $0["actor"] as? String == "alice" } == true)
            // Asking for someone else's events intersects with the scope: an empty page, not an error.
            #expect(try items(try await client.request(.get, "/api/v1/events?actor=bob", token: alice)).isEmpty)
            #expect(try items(try await client.request(.get, "/api/v1/events?q=secret", token: alice)).isEmpty)
            // Another user's event by id is "not found", never "forbidden".
            try await client.request(.get, "/api/v1/events/\(bobEvent)", token: alice).expectProblem(.notFound, code: "not_found")
            #expect(try await client.request(.get, "/api/v1/events/\(bobEvent)", token: admin).status == .ok)
            try await client.request(.get, "/api/v1/events/\(UUID().uuidString)", token: admin).expectProblem(.notFound, code: "not_found")
            try await client.request(.get, "/api/v1/events/not-a-uuid", token: admin).expectProblem(.badRequest, code: "validation_failed")
            #expect(try items(try await client.request(.get, "/api/v1/events?limit=100", token: admin)).count == 5)
        }
    }

    @Test func analystReadsAllAndIngests() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = "sqlite://\(directory.path)/vigil.sqlite"
        try await TestApp.run(TestApp.configuration { $0.databaseURL = url }) { client in
            // Create the analyst the way `vigil user create` does: another connection to the same
            // database file, while the server runs.
            let storage = try await Storage.open(databaseURL: url, logger: Logger(label: "test"))
            try await UserAdministration.withAdministration(users: storage, bcryptCost: 4) {
                try await $0.createUser(username: "ann", password: "analyst-pass", role: .analyst)
            }
            await storage.close()
            let analyst = try await client.login("ann", "analyst-pass").token
            let created = try await client.ingest(analyst, #"{"type":"x","actor":"someone"}"#)
            #expect(created.status == .created)
            #expect(try created.object()["ingested_by"] as? String == "user:ann")
            let admin = try await client.adminToken()
            _ = try await client.ingest(admin, #"{"type":"y","actor":"other"}"#)
            #expect(try items(try await client.request(.get, "/api/v1/events", token: analyst)).count == 2)
        }
    }

    @Test func filtersPaginationAndBadParameters() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            var lines: [String] = []
            for index in 0..<30 {
                let severity = ["info", "low", "medium", "high", "critical"][index % 5]
                let ip = index % 2 == 0 ? "10.0.\(index).1" : "2001:db8::\(index)"
                lines.append(
                    #"{"type":"net.conn.\#(index % 3)","severity":"\#(severity)","ip":"\#(ip)","occurred_at":"2026-01-01T00:00:\#(String(format: "%02d", index))Z","description":"connection number \#(index)","details":{"n":\#(index)}}"#
                )
            }
            let batch = try await client.request(.post, "/api/v1/events/batch", token: admin, json: "[" + lines.joined(separator: ",") + "]")
            #expect(batch.status == .created)

            #expect(try items(try await client.request(.get, "/api/v1/events?type=net.*&limit=100", token: admin)).count == 30)
            #expect(try items(try await client.request(.get, "/api/v1/events?type=net.conn.1&limit=100", token: admin)).count == 10)
            #expect(try items(try await client.request(.get, "/api/v1/events?ip=10.0.0.0%2F16&limit=100", token: admin)).count == 15)
            #expect(try items(try await client.request(.get, "/api/v1/events?min_severity=HIGH&limit=100", token: admin)).count == 12)
            #expect(try items(try await client.request(.get, "/api/v1/events?severity=low&severity=info&limit=100", token: admin)).count == 12)
            #expect(try items(try await client.request(.get, "/api/v1/events?details.n=7", token: admin)).count == 1)
            let window = try items(
                try await client.request(.get, "/api/v1/events?from=2026-01-01T00:00:10Z&to=2026-01-01T00:00:20Z&order=asc&limit=100", token: admin)
            )
            #expect(window.count == 10)
            #expect(window.first?["occurred_at"] as? String == "2026-01-01T00:00:10.000000Z")
            #expect(try items(try await client.request(.get, "/api/v1/events?q=number+7", token: admin)).count == 1)

            var cursor: String? = nil
            var seen: [String] = []
            repeat {
                let uri = "/api/v1/events?type=net.*&limit=7" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await client.request(.get, uri, token: admin).object()
                seen += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                cursor = page["next_cursor"] as? String
            } while cursor != nil && seen.count < 100
            #expect(seen.count == 30 && Set(seen).count == 30)

            for bad in [
                "limit=0", "limit=5000", "cursor=garbage", "cursor=%27%20OR%201%3D1--", "unknown=1", "order=up", "ip=nope", "from=x",
                "severity=urgent", "type=a%20b", "q=%25%25",
            ] {
                try await client.request(.get, "/api/v1/events?\(bad)", token: admin).expectProblem(.badRequest, code: "validation_failed")
            }
            // SQL-looking values are just values: no error, no match.
            for value in ["%27%20OR%20%271%27%3D%271", "x%22%3B%20DROP%20TABLE%20events%3B--", "%5C%27%29%29--x"] {
                for name in ["actor", "source", "location", "entity_id", "details.k", "q"] {
                    let response = try await client.request(.get, "/api/v1/events?\(name)=\(value)", token: admin)
                    #expect(response.status == .ok, "\(name)=\(value): \(response.text)")
                    #expect(try items(response).isEmpty)
                }
            }
            #expect(try items(try await client.request(.get, "/api/v1/events?limit=1000", token: admin)).count == 30)
        }
    }
}
