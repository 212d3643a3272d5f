import Foundation
import Logging

/// Vigil auditing itself: logins, denials and changes become events in the same log, written
/// through the same group-commit `EventWriter` as ingested events — so recording a denial
/// joins the next group commit instead of adding a transaction, and never goes through HTTP
/// (no recursion).
///
/// `record` returns once the event is committed. Callers on a request path await it before
/// answering, so an attacker cannot outrun the log.
public struct AuditTrail: Sendable {
    /// `ingested_by` and `source` of every self-audit event.
    public static let principal = "vigil"
    /// Keeps request-supplied strings (user agent, unmatched paths) from bloating events; bytes.
    public static let maxRequestTextBytes = 256

    let append: @Sendable ([PreparedEvent]) async throws -> Void
    let logger: Logger

    /// Records through the server's group-commit writer. Audit records are exempt from the
    /// writer's queue bound: a client filling the queue must not keep Vigil from auditing.
    public init(writer: EventWriter, logger: Logger) {
        self.append = { _ = try await writer.append($0, exemptFromQueueLimit: true) }
        self.logger = logger
    }

    /// Records straight into a store, for processes without a writer (the CLI).
    public init(store: any EventStore, logger: Logger) {
        self.append = { _ = try await store.write([$0]) }
        self.logger = logger
    }

    /// Writes one self-audit event and returns once it is committed. It fails closed: when the
    /// record cannot be committed (the database is down) the error is logged and thrown, so the
    /// request answers 503 instead of succeeding unaudited.
    public func record(
        _ type: AuditEventType,
        severity: Severity,
        outcome: Outcome,
        context: AuditContext,
        entityType: String? = nil,
        entityID: String? = nil,
        description: String? = nil,
        details: [String: JSONValue] = [:]
    ) async throws {
        let event = Self.event(
            type,
            severity: severity,
            outcome: outcome,
            context: context,
            entityType: entityType,
            entityID: entityID,
            description: description,
            details: details
        )
        do {
            try await self.append([event.prepared(receivedAt: .now(), ingestedBy: Self.principal)])
        } catch {
            self.logger.error(
                "could not record audit event",
                metadata: ["type": .string(type.rawValue), "error": "\(error)", "request_id": "\(context.requestID ?? "")"]
            )
            throw (error as? VigilError) ?? VigilError.unavailable(retryAfter: 1)
        }
    }

    /// The event `record` writes (exposed for tests).
    public static func event(
        _ type: AuditEventType,
        severity: Severity,
        outcome: Outcome,
        context: AuditContext,
        entityType: String? = nil,
        entityID: String? = nil,
        description: String? = nil,
        details: [String: JSONValue] = [:]
    ) -> NewEvent {
        var members = details
        if let userAgent = context.userAgent { members["user_agent"] = .string(userAgent.truncated(toUTF8Bytes: maxRequestTextBytes)) }
        if let method = context.method { members["method"] = .string(method.truncated(toUTF8Bytes: 16)) }
        if let route = context.route { members["route"] = .string(route.truncated(toUTF8Bytes: maxRequestTextBytes)) }
        if let requestID = context.requestID { members["request_id"] = .string(requestID) }
        return NewEvent(
            type: type.rawValue,
            severity: severity,
            outcome: outcome,
            actor: context.actor.map { $0.truncated(toUTF8Bytes: NewEvent.maxShortFieldLength) },
            entityType: entityType,
            entityID: entityID,
            source: principal,
            ip: context.ip.flatMap(IPAddress.init),
            description: description,
            details: JSONValue.object(members).canonicalJSON
        )
    }
}
