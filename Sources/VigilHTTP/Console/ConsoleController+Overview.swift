import Foundation
import Hummingbird
import VigilCore

extension ConsoleController {
    /// The overview's windows: name, label, length and bucket.
    static let windows: [(value: String, label: String, seconds: Int64, bucket: String)] = [
        ("24h", "24 hours", 86_400, "hour"), ("7d", "7 days", 7 * 86_400, "hour"), ("30d", "30 days", 30 * 86_400, "day"),
    ]

    /// `GET /overview`: `GET /api/v1/stats` for the chosen window, as cards, a chart and tables.
    @Sendable func overview(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let chosen = try request.queryParameters().first { $0.0 == "window" }?.1 ?? "24h"
        guard let window = Self.windows.first(where: { $0.value == chosen }) else {
            throw VigilError.validation([FieldError(field: "window", message: "must be 24h, 7d or 30d")])
        }
        let from = Timestamp.now().adding(seconds: -window.seconds).rfc3339
        let query = [("from", from), ("bucket", window.bucket)]
        guard case .object(let stats)? = try await InProcessAPI.call(self.api.stats.show, query: query, from: request, context: context) else {
            throw VigilError.unavailable(retryAfter: 1)
        }
        var values: [String: Any] = ["s": ConsoleValues.object(stats)]
        values["windows"] = Self.windows.map { ["value": $0.value, "label": $0.label, "current": $0.value == window.value] }
        let bySeverity = if case .object(let counts)? = stats["by_severity"] { counts } else { [String: JSONValue]() }
        values["severity_counts"] = Severity.allCases.reversed().map { severity -> [String: Any] in
            let count: Int64 = if case .int(let number)? = bySeverity[severity.rawValue] { number } else { 0 }
            return ["severity": severity.rawValue, "count": count]
        }
        values["chart"] = TimelineChart(timeline: stats["timeline"]).svg
        values["top_ips"] = Self.objects(stats["top_ips"])
        values["top_actors"] = Self.objects(stats["top_actors"])
        if case .object(let failed)? = stats["failed_logins"], case .int(let total)? = failed["total"] { values["failed_logins"] = total }
        if case .object(let alerts)? = stats["alerts"], case .object(let counts)? = alerts["by_severity"] {
            let items = Severity.allCases.reversed().map { severity -> [String: Any] in
                let count: Int64 = if case .int(let number)? = counts[severity.rawValue] { number } else { 0 }
                return ["severity": severity.rawValue, "count": count]
            }
            values["alert_counts"] = ["items": items]
        }
        return self.renderer.page("overview", title: "Overview", section: "overview", context: context, values: values)
    }

    static func objects(_ value: JSONValue?) -> [[String: Any]] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap { if case .object(let fields) = $0 { ConsoleValues.object(fields) } else { nil } }
    }
}
