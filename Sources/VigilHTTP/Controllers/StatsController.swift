import Foundation
import Hummingbird
import VigilCore

/// `GET /api/v1/stats`: counts of the events in a window (by field, top addresses and actors,
/// failed logins, a timeline) and of alerts. A `user` sees only their own events and no alert
/// counts; API keys need `events:read` and see no alert counts.
struct StatsController: Sendable {
    let stats: any StatsStore

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.get("stats", use: self.show)
    }

    @Sendable func show(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let principal = try context.requireEventReader()
        let parameters = try request.queryParameters()
        var parsed = try StatsQuery.parse(parameters, now: .now()).get()
        parsed.events = principal.scoped(parsed.events)
        let query = parsed
        let stats = self.stats
        let seesAlerts = principal.role == .admin || principal.role == .analyst
        async let events = stats.eventStats(query)
        async let alerts = seesAlerts ? stats.alertStats(from: query.from, to: query.to) : nil
        return .json(StatsReport(query: query, events: try await events, alerts: try await alerts).json)
    }
}
