import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

extension TestClientProtocol {
    /// Polls `GET /api/v1/alerts?<query>` until `done` holds for the items (at most `seconds`);
    /// returns the last items seen.
    @discardableResult
    func waitForAlerts(
        _ token: String,
        _ query: String = "",
        // Generous: the HTTP suite runs ~100 apps on a 2-core CI host, where detection can lag
        // by seconds. What these tests check is the alerts, not detection latency (benchmarks do).
        seconds: Double = 40,
        until done: ([[String: Any]]) -> Bool
    ) async throws -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let response = try await self.request(.get, "/api/v1/alerts?limit=1000&\(query)", token: token)
            #expect(response.status == .ok, "\(response.text)")
            let items = try #require(try response.object()["items"] as? [[String: Any]])
            let finished = done(items)
            if finished || Date() > deadline { return items }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// One `GET /api/v1/alerts?<query>`: the items.
    func alerts(_ token: String, _ query: String = "") async throws -> [[String: Any]] {
        let response = try await self.request(.get, "/api/v1/alerts?limit=1000&\(query)", token: token)
        #expect(response.status == .ok, "\(response.text)")
        return try #require(try response.object()["items"] as? [[String: Any]])
    }

    /// Ingests a critical marker event and waits for its promotion: once it is there, every
    /// event committed before it has been evaluated (detection follows the log in order).
    func waitForDetection(_ token: String) async throws {
        let marker = "marker-\(UUID().uuidString.lowercased())"
        let response = try await self.ingest(token, #"{"type":"test.marker","severity":"critical","actor":"\#(marker)"}"#)
        #expect(response.status == .created, "\(response.text)")
        let items = try await self.waitForAlerts(token, "q=\(marker)") { items in !items.isEmpty }
        #expect(items.count == 1, "the detector did not promote the marker event")
    }

    /// Ingests `count` events of `type` from `ip`, one request each.
    func ingestRepeated(_ token: String, type: String, ip: String, count: Int, extra: String = "") async throws {
        for _ in 0..<count {
            let response = try await self.ingest(token, #"{"type":"\#(type)","ip":"\#(ip)","severity":"low"\#(extra)}"#)
            #expect(response.status == .created, "\(response.text)")
        }
    }
}
