import Foundation
import Hummingbird
import VigilCore

extension RulesController {
    /// `POST /rules/{id}/test` and `POST /rules/test`: the alerts a rule would have raised over
    /// stored events, computed by the live detector's code, with no side effects (nothing is
    /// written, not even an audit event).
    @Sendable func backtest(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin, .analyst)
        let saved: Rule? = context.parameters.get("id") == nil ? nil : try await self.existing(context)
        let input = try BacktestRequest.validate(try await self.body(request), saved: saved, now: .now()).get()
        let result = try await Backtest.run(
            input.rule,
            over: self.log,
            from: input.from,
            to: input.to,
            stormLimit: self.stormLimit
        )
        var writer = JSONWriter()
        writer.object { object in
            object.field("rule_id", saved?.id.lowercased)
            object.field("rule_name", input.rule.name)
            object.field("from", input.from.rfc3339)
            object.field("to", input.to.rfc3339)
            object.field("events_scanned", Int64(result.eventsScanned))
            object.field("truncated", result.truncated)
            object.rawField(
                "alerts",
                "["
                    + result.alerts.map { alert in
                        var item = JSONWriter()
                        item.object { fields in
                            fields.field("title", alert.title)
                            fields.field("severity", alert.severity.rawValue)
                            fields.field("group_key", alert.groupKey)
                            fields.field("count", Int64(alert.count))
                            fields.field("first_seen", alert.firstSeen.rfc3339)
                            fields.field("last_seen", alert.lastSeen.rfc3339)
                            fields.rawField("evidence", AlertEvidence.jsonArray(result.evidence[alert.id] ?? []))
                        }
                        return item.output
                    }.joined(separator: ",") + "]"
            )
        }
        return .json(writer.output)
    }
}
