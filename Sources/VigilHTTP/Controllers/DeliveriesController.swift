import Foundation
import Hummingbird
import VigilCore

/// `/api/v1/deliveries`: every queued notification with its attempts (admin), and re-queuing.
struct DeliveriesController: Sendable {
    let outbox: any OutboxStore
    /// Wakes the local deliverer when a delivery is queued again.
    let notifications: WakeSignal
    let audit: AuditTrail

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.get("deliveries", use: self.list)
        group.post("deliveries/{id}/retry", use: self.retry)
    }

    @Sendable func list(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        let parameters = try request.queryParameters()
        let query = try DeliveryQuery.parse(parameters).get()
        let deliveries = try await self.outbox.deliveries(matching: query)
        var writer = JSONWriter(capacity: 256 + deliveries.count * 600)
        writer.raw("{\"items\":[" + deliveries.map(\.json).joined(separator: ",") + "],\"next_cursor\":")
        let next = deliveries.count == query.limit ? deliveries.last.map { DeliveryQuery.cursor(after: $0.entry) } : nil
        writer.stringOrNull(next)
        writer.raw("}")
        return .json(writer.output)
    }

    @Sendable func retry(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        guard let entry = try await self.outbox.retryDelivery(id: try context.idParameter(), now: .now()) else {
            throw VigilError.notFound("No notification with this id.")
        }
        self.notifications.notify()
        try await self.audit.record(
            .deliveryRetried,
            severity: .low,
            outcome: .success,
            context: context.auditContext(request),
            entityType: "delivery",
            entityID: entry.id.lowercased,
            details: ["channel_id": .string(entry.channelID.lowercased)]
        )
        return .json(Delivery(entry: entry, attempts: []).json, status: .accepted)
    }
}
