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

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.clientIP = source.channel.remoteAddress?.ipAddress
        self.principal = nil
    }

    /// The authenticated principal; throws 401 when the request carried no valid credential.
    public func requirePrincipal() throws -> Principal {
        guard let principal else { throw VigilError.unauthenticated("Authentication required.") }
        return principal
    }

    /// The principal, if its role is one of `roles`; otherwise throws 403.
    public func require(_ roles: Role...) throws -> Principal {
        let principal = try self.requirePrincipal()
        guard roles.contains(principal.role) else {
            throw VigilError.forbidden("This action requires the role \(roles.map(\.rawValue).joined(separator: " or ")).")
        }
        return principal
    }
}

extension VigilRequestContext {
    /// The request's part of a self-audit event; `actor` defaults to the principal.
    func auditContext(_ request: Request, actor: String? = nil) -> AuditContext {
        AuditContext(
            actor: actor ?? self.principal?.username,
            ip: self.clientIP,
            userAgent: request.headers[.userAgent],
            method: request.method.rawValue,
            route: self.endpointPath ?? request.uri.path,
            requestID: self.requestID
        )
    }
}
