/// Who did something to Vigil, from where: the part of a self-audit event that comes from the request.
public struct AuditContext: Sendable, Equatable {
    /// The principal's name, or the attempted username for failed logins; nil when unknown.
    public var actor: String?
    public var ip: String?
    public var userAgent: String?
    public var method: String?
    public var route: String?
    public var requestID: String?

    public init(
        actor: String? = nil,
        ip: String? = nil,
        userAgent: String? = nil,
        method: String? = nil,
        route: String? = nil,
        requestID: String? = nil
    ) {
        self.actor = actor
        self.ip = ip
        self.userAgent = userAgent
        self.method = method
        self.route = route
        self.requestID = requestID
    }
}
