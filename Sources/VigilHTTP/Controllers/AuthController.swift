import Foundation
import HTTPTypes
import Hummingbird
import VigilCore

/// `/api/v1/auth`: registration, login, token refresh, logout and the current user.
struct AuthController: Sendable {
    let users: any UserStore
    let hasher: PasswordHasher
    let sessions: SessionTokens
    let loginFlow: LoginFlow
    let audit: AuditTrail
    /// Whether anyone may register (`VIGIL_REGISTRATION`).
    let registration: AppConfiguration.Registration
    let accessTokenLifetimeSeconds: Int64
    /// Per-address limits on the routes anyone may call, and the blocks already on record.
    let registrations: TokenBuckets
    let tokenRequests: TokenBuckets
    let notices: ThrottleNotices

    /// Routes that work without a token.
    func addPublicRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.post("register", use: self.register)
        group.post("login", use: self.login)
        group.post("refresh", use: self.refresh)
        group.post("logout", use: self.logout)
    }

    /// Routes that need a token (the group carries `AuthMiddleware`).
    func addProtectedRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.get("me", use: self.me)
    }

    static let noStore: HTTPFields = [.cacheControl: "no-store"]

    @Sendable func register(_ request: Request, context: VigilRequestContext) async throws -> Response {
        guard self.registration == .open else {
            try await self.audit.recordDenial(request, context: context, status: 403, reason: "registration is closed")
            throw VigilError.registrationClosed
        }
        try await self.admitPublic(request, context: context, limiter: self.registrations, what: "registration")
        var body = try await RequestBody.object(request, allowed: ["username", "password"], limit: RequestBody.credentialsLimit)
        let username = body.required("username", maxLength: 64)
        let password = body.required("password", maxLength: Credentials.maxPasswordBytes)
        try body.throwIfInvalid()
        let user = try await UserAdministration(users: self.users, hasher: self.hasher)
            .createUser(username: username, password: password, role: .user)
        try await self.audit.record(
            .userCreated,
            severity: .low,
            outcome: .success,
            context: context.auditContext(request, actor: user.username),
            entityType: "user",
            entityID: user.id.lowercased,
            description: "self-registration",
            details: ["username": .string(user.username), "role": .string(user.role.rawValue)]
        )
        return .json(user.json, status: .created, headers: Self.noStore)
    }

    /// Takes one token of `limiter` for the client's address (IPv6 by /64), or refuses with 429;
    /// the first refusal of an address in a block is recorded as `auth.rate_limited`.
    func admitPublic(_ request: Request, context: VigilRequestContext, limiter: TokenBuckets, what: String) async throws {
        let address = context.clientIP.map { LoginThrottleKey(.ip, $0).value } ?? "unknown"
        guard let retryAfter = limiter.take(for: address) else { return }
        let now = Timestamp.now()
        let until = Timestamp(microseconds: now.microseconds.floorDiv(60_000_000) * 60_000_000)
        if self.notices.isNew("\(what)|\(address)", until: until, now: now) {
            try await self.audit.record(
                .rateLimited,
                severity: .medium,
                outcome: .failure,
                context: context.auditContext(request),
                description: "\(what) rate limit reached by this address",
                details: ["retry_after": .int(Int64(retryAfter)), "limited": .string(what)]
            )
        }
        throw VigilError.tooManyRequests(retryAfter: retryAfter, detail: "Too many \(what) requests from this address; retry later.")
    }

    @Sendable func refresh(_ request: Request, context: VigilRequestContext) async throws -> Response {
        try await self.admitPublic(request, context: context, limiter: self.tokenRequests, what: "token")
        var body = try await RequestBody.object(request, allowed: ["refresh_token"], limit: RequestBody.credentialsLimit)
        let secret = body.required("refresh_token", maxLength: 256)
        try body.throwIfInvalid()
        return try await self.tokenResponse(try await self.sessions.rotate(secret, request: request, context: context))
    }

    @Sendable func logout(_ request: Request, context: VigilRequestContext) async throws -> Response {
        try await self.admitPublic(request, context: context, limiter: self.tokenRequests, what: "token")
        var body = try await RequestBody.object(request, allowed: ["refresh_token"], limit: RequestBody.credentialsLimit)
        let secret = body.required("refresh_token", maxLength: 256)
        try body.throwIfInvalid()
        try await self.sessions.end(secret, request: request, context: context)
        // Unknown tokens get the same answer, so logout cannot be used to probe tokens.
        return Response(status: .noContent, headers: Self.noStore)
    }

    @Sendable func me(_ request: Request, context: VigilRequestContext) async throws -> Response {
        guard let user = try await self.users.user(id: try context.requireUserID()) else {
            throw VigilError.unauthenticated("The user no longer exists.")
        }
        return .json(user.json, headers: Self.noStore)
    }

    func tokenResponse(_ issued: SessionTokens.Issued) -> Response {
        var writer = JSONWriter()
        writer.object { object in
            object.field("access_token", issued.accessToken)
            object.field("refresh_token", issued.refreshToken)
            object.field("token_type", "Bearer")
            object.field("expires_in", self.accessTokenLifetimeSeconds)
            object.rawField("user", issued.user.json)
        }
        return .json(writer.output, headers: Self.noStore)
    }
}
