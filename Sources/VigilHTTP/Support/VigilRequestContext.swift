import Foundation
import Hummingbird
import Logging
import NIOCore
import VigilCore

/// Per-request state: the request id, the client address and, once authenticated, the principal.
public struct VigilRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Echoed as `X-Request-Id` and attached to every log line of the request.
    public var requestID: String
    /// The peer's address as seen on the socket.
    public var clientIP: String?
    public var principal: Principal?
    /// The console's state for this request (set only on console pages).
    var console: ConsoleRequestState?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.clientIP = source.channel.remoteAddress?.ipAddress
        self.principal = nil
        self.console = nil
    }

    /// The authenticated principal; throws 401 when the request carried no valid credential.
    public func requirePrincipal() throws -> Principal {
        guard let principal else { throw VigilError.unauthenticated("Authentication required.") }
        return principal
    }

    /// The principal, if it is a person whose role is one of `roles`; otherwise throws 403.
    public func require(_ roles: Role...) throws -> Principal {
        let principal = try self.requirePrincipal()
        guard let role = principal.role, roles.contains(role) else {
            throw VigilError.forbidden("This action requires the role \(roles.map(\.rawValue).joined(separator: " or ")).")
        }
        return principal
    }

    /// The signed-in person's id; API keys get 403.
    public func requireUserID() throws -> UUID {
        guard let id = try self.requirePrincipal().userID else { throw VigilError.forbidden("This action needs a signed-in user, not an API key.") }
        return id
    }

    /// A principal allowed to ingest (admin, analyst, or a key with `events:write`).
    public func requireEventWriter() throws -> Principal {
        let principal = try self.requirePrincipal()
        guard principal.canWriteEvents else {
            throw VigilError.forbidden("Ingesting events requires the role admin or analyst, or the scope events:write.")
        }
        return principal
    }

    /// A principal allowed to read events (any person, or a key with `events:read`).
    public func requireEventReader() throws -> Principal {
        let principal = try self.requirePrincipal()
        guard principal.canReadEvents else { throw VigilError.forbidden("Reading events requires the scope events:read.") }
        return principal
    }
}

extension VigilRequestContext {
    /// The request's part of a self-audit event; `actor` defaults to the principal.
    func auditContext(_ request: Request, actor: String? = nil) -> AuditContext {
        AuditContext(
            actor: actor ?? self.principal?.auditName,
            ip: self.clientIP,
            userAgent: request.headers[.userAgent],
            method: request.method.rawValue,
            route: self.endpointPath ?? request.uri.path,
            requestID: self.requestID
        )
    }
}

extension VigilRequestContext {
    /// The `{id}` path parameter as a UUID; a 400 naming `id` otherwise.
    func idParameter() throws -> UUID {
        guard let id = self.parameters.get("id").flatMap(UUID.init(canonical:)) else {
            throw VigilError.validation([FieldError(field: "id", message: "must be a UUID")])
        }
        return id
    }
}
