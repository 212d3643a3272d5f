import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import VigilHTTP

/// Live detection through the real app: events in, alerts out, across restarts.
@Suite struct AlertDetectionTests {
    @Test func highAndCriticalEventsArePromotedOneAlertEach() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            for (severity, actor) in [("critical", "h1"), ("high", "h2"), ("medium", "h3"), ("critical", "h4")] {
                let response = try await client.ingest(admin, #"{"type":"malware.detected","severity":"\#(severity)","actor":"\#(actor)"}"#)
                #expect(response.status == .created)
            }
            let alerts = try await client.waitForAlerts(admin, "order=asc") { $0.count >= 3 }
            #expect(alerts.count == 3)
            #expect(
                alerts.map { $0["title"] as? String } == [
                    "High severity event: malware.detected (h1)", "High severity event: malware.detected (h2)",
                    "High severity event: malware.detected (h4)",
                ]
            )
            #expect(alerts.map { $0["severity"] as? String } == ["critical", "high", "critical"])
            #expect(alerts.allSatisfy { $0["count"] as? Int == 1 && $0["status"] as? String == "open" && $0["assignee"] is NSNull })
            // Each alert is recorded in the log, and detection does not alert on its own records.
            try await client.waitForDetection(admin)
            let created = try await client.request(.get, "/api/v1/events?type=alert.created&source=vigil&limit=100", token: admin)
            let events = try #require(try created.object()["items"] as? [[String: Any]])
            #expect(events.count == 4)
            #expect(Set(events.compactMap { $0["entity_id"] as? String }).isSuperset(of: alerts.compactMap { $0["id"] as? String }))
        }
    }

    @Test func fiveFailedLoginsFromOneAddressRaiseOneAlertAndLaterOnesAddToIt() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            try await client.ingestRepeated(admin, type: "auth.login.failed", ip: "203.0.113.7", count: 4)
            try await client.waitForDetection(admin)
            #expect(try await client.alerts(admin, "q=Brute").isEmpty, "4 failures must not alert")

            try await client.ingestRepeated(admin, type: "auth.login.failed", ip: "203.0.113.7", count: 1)
            var alerts = try await client.waitForAlerts(admin, "q=Brute") { items in !items.isEmpty }
            #expect(alerts.count == 1)
            #expect(alerts.first?["count"] as? Int == 5)
            #expect(alerts.first?["group_key"] as? String == "ip=203.0.113.7")
            #expect(alerts.first?["severity"] as? String == "high")

            try await client.ingestRepeated(admin, type: "auth.login.failed", ip: "203.0.113.7", count: 15)
            alerts = try await client.waitForAlerts(admin, "q=Brute") { $0.first?["count"] as? Int == 20 }
            #expect(alerts.count == 1)
            #expect(alerts.first?["count"] as? Int == 20)
            let id = try #require(alerts.first?["id"] as? String)
            let detail = try await client.request(.get, "/api/v1/alerts/\(id)", token: admin).object()
            let evidence = try #require(detail["evidence"] as? [[String: Any]])
            #expect(evidence.count == 20)
            let times = evidence.compactMap { $0["occurred_at"] as? String }
            #expect(times == times.sorted(), "evidence is oldest first")
            #expect(evidence.allSatisfy { ($0["summary"] as? String)?.contains("ip=203.0.113.7") == true })
            let history = try #require(detail["history"] as? [[String: Any]])
            #expect(history.count == 1 && history.first?["to"] as? String == "open" && history.first?["by"] as? String == "vigil")
        }
    }

    @Test func twoAddressesRaiseTwoAlerts() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            // Interleaved, so each address's window fills at the same time.
            for _ in 0..<5 {
                try await client.ingestRepeated(admin, type: "auth.login.failed", ip: "198.51.100.1", count: 1)
                try await client.ingestRepeated(admin, type: "auth.login.failed", ip: "198.51.100.2", count: 1)
            }
            let alerts = try await client.waitForAlerts(admin, "q=Brute") { $0.count >= 2 }
            #expect(Set(alerts.compactMap { $0["group_key"] as? String }) == ["ip=198.51.100.1", "ip=198.51.100.2"])
            #expect(alerts.allSatisfy { $0["count"] as? Int == 5 })
        }
    }

    @Test func eventsOutsideTheWindowDoNotCount() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            // Five failures, but 20 s apart: never five within 60 s.
            for index in 0..<5 {
                let time = Date(timeIntervalSinceNow: Double(index * 20 - 200))
                let stamp = ISO8601DateFormatter().string(from: time)
                let response = try await client.ingest(admin, #"{"type":"auth.login.failed","ip":"192.0.2.50","occurred_at":"\#(stamp)"}"#)
                #expect(response.status == .created, "\(response.text)")
            }
            try await client.waitForDetection(admin)
            #expect(try await client.alerts(admin, "q=Brute").isEmpty)
        }
    }

    @Test func aWindowSpanningARestartStillFires() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-restart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = TestApp.configuration { $0.databaseURL = "sqlite://" + directory.appendingPathComponent("vigil.sqlite").path }
        try await TestApp.run(configuration) { client in
            let admin = try await client.adminToken()
            try await client.ingestRepeated(admin, type: "auth.login.failed", ip: "203.0.113.99", count: 3)
            try await client.waitForDetection(admin)
        }
        try await TestApp.run(configuration) { client in
            let admin = try await client.adminToken()
            try await client.ingestRepeated(admin, type: "auth.login.failed", ip: "203.0.113.99", count: 2)
            let alerts = try await client.waitForAlerts(admin, "q=Brute") { items in !items.isEmpty }
            #expect(alerts.count == 1, "the three failures before the restart must still count")
            #expect(alerts.first?["count"] as? Int == 5)
            // The restart evaluated nothing twice: one alert per marker, not two.
            let markers = try await client.alerts(admin, "q=marker")
            #expect(markers.count == 1)
        }
    }

    @Test func ruleEditsApplyToTheNextEvents() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            let rule = #"{"name":"Exfil","severity":"medium","match":{"types":["data.export"],"details":{"bytes":"9999"}}}"#
            let created = try await client.request(.post, "/api/v1/rules", token: admin, json: rule)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(try created.object()["id"] as? String)
            #expect(try await client.ingest(admin, #"{"type":"data.export","details":{"bytes":9999}}"#).status == .created)
            let alerts = try await client.waitForAlerts(admin, "rule_id=\(id)") { items in !items.isEmpty }
            #expect(alerts.count == 1 && alerts.first?["severity"] as? String == "medium")
            #expect(try await client.request(.patch, "/api/v1/rules/\(id)", token: admin, json: #"{"enabled":false}"#).status == .ok)
            #expect(try await client.ingest(admin, #"{"type":"data.export","details":{"bytes":9999}}"#).status == .created)
            try await client.waitForDetection(admin)
            #expect(try await client.alerts(admin, "rule_id=\(id)").count == 1)
        }
    }
}
