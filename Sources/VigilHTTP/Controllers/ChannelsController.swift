import Foundation
import Hummingbird
import VigilCore
import VigilNotify

/// `/api/v1/channels`: where notifications go. Admins and analysts read (secrets never shown);
/// admins change them, recorded as `channel.created|updated|deleted` (secrets redacted).
struct ChannelsController: Sendable {
    let channels: any ChannelStore
    /// Sends channel tests through the same senders as real notifications.
    let deliverer: Deliverer
    let audit: AuditTrail
    static let bodyLimit = 16 * 1024

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.get("channels", use: self.list)
        group.post("channels", use: self.create)
        group.get("channels/{id}", use: self.show)
        group.patch("channels/{id}", use: self.update)
        group.delete("channels/{id}", use: self.delete)
        group.post("channels/{id}/test", use: self.test)
    }

    @Sendable func list(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin, .analyst)
        let channels = try await self.channels.channels()
        return .json("{\"items\":[" + channels.map { $0.json() }.joined(separator: ",") + "]}")
    }

    @Sendable func show(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin, .analyst)
        return .json(try await self.existing(context).json())
    }

    @Sendable func create(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        let body = try await self.body(request)
        let channel = try NotificationChannel.validate(body, onto: nil, now: .now()).get()
        try await self.channels.createChannel(channel)
        try await self.record(.channelCreated, channel: channel, context: context, request: request, details: ["after": channel.auditDefinition])
        // A secret Vigil generated is shown once, here: the receiver needs it to verify signatures.
        let generated = Self.secretGiven(body) == false
        return .json(channel.json(revealSecret: generated), status: .created)
    }

    @Sendable func update(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        let current = try await self.existing(context)
        let channel = try NotificationChannel.validate(try await self.body(request), onto: current, now: .now()).get()
        guard let before = try await self.channels.updateChannel(channel) else { throw VigilError.notFound("No channel with this id.") }
        try await self.record(
            .channelUpdated,
            channel: channel,
            context: context,
            request: request,
            details: ["before": before.auditDefinition, "after": channel.auditDefinition]
        )
        return .json(channel.json())
    }

    @Sendable func delete(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        guard let channel = try await self.channels.deleteChannel(id: try context.idParameter()) else {
            throw VigilError.notFound("No channel with this id.")
        }
        try await self.record(
            .channelDeleted,
            channel: channel,
            context: context,
            request: request,
            details: ["before": channel.auditDefinition]
        )
        return Response(status: .noContent)
    }

    /// Sends a test message now (not queued, not retried) and reports how the receiver answered.
    @Sendable func test(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        let channel = try await self.existing(context)
        let attempt = await self.deliverer.sendNow(.test(for: channel, now: .now()), to: channel)
        // A test reaches out from this host: on record, with how the receiver answered.
        try await self.record(
            .channelTested,
            channel: channel,
            context: context,
            request: request,
            details: [
                "delivered": .bool(attempt.succeeded), "status_code": attempt.statusCode.map { .int(Int64($0)) } ?? .null,
                "error": attempt.error.map { .string($0) } ?? .null,
            ]
        )
        var writer = JSONWriter()
        writer.object { object in
            object.field("delivered", attempt.succeeded)
            if let code = attempt.statusCode { object.field("status_code", Int64(code)) } else { object.field("status_code", nil as String?) }
            object.field("error", attempt.error)
            object.field("latency_ms", Int64(attempt.latencyMilliseconds))
        }
        return .json(writer.output)
    }

    private func body(_ request: Request) async throws -> JSONValue {
        _ = try RequestBody.format(of: request)
        return try RequestBody.decodeJSON(try await RequestBody.collect(request, limit: Self.bodyLimit))
    }

    private func existing(_ context: VigilRequestContext) async throws -> NotificationChannel {
        guard let channel = try await self.channels.channel(id: try context.idParameter()) else {
            throw VigilError.notFound("No channel with this id.")
        }
        return channel
    }

    private static func secretGiven(_ body: JSONValue) -> Bool {
        guard case .object(let fields) = body, case .object(let config)? = fields["config"], let secret = config["secret"] else { return false }
        return secret != .null
    }

    private func record(
        _ type: AuditEventType,
        channel: NotificationChannel,
        context: VigilRequestContext,
        request: Request,
        details: [String: JSONValue]
    ) async throws {
        var details = details
        details["name"] = .string(channel.name)
        try await self.audit.record(
            type,
            severity: .medium,
            outcome: .success,
            context: context.auditContext(request),
            entityType: "channel",
            entityID: channel.id.lowercased,
            details: details
        )
    }
}
