import Foundation
import HTTPTypes
import Hummingbird
import VigilCore

/// `/api/v1/auth`: registration, login, token refresh, logout and the current user.
struct AuthController: Sendable {
    let services: AppServices

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
        guard self.services.configuration.registration == .open else {
            await self.services.audit.recordDenial(request, context: context, status: 403, reason: "registration is closed")
            throw VigilError.registrationClosed
        }
        var body = try await RequestBody.object(request, allowed: ["username", "password"])
        let username = body.required("username", maxLength: 64)
        let password = body.required("password", maxLength: Credentials.passwordLengths.upperBound)
        try body.throwIfInvalid()
        let user = try await UserAdministration(users: self.services.users, hasher: self.services.hasher)
            .createUser(username: username, password: password, role: .user)
        await self.services.audit.record(
            "user.created",
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

    @Sendable func login(_ request: Request, context: VigilRequestContext) async throws -> Response {
        var body = try await RequestBody.object(request, allowed: ["username", "password"])
        let username = body.required("username", maxLength: 256)
        let password = body.required("password", maxLength: 1024)
        try body.throwIfInvalid()
        let now = Timestamp.now()
        let userKey = LoginThrottleKey(.user, username)
        let keys = [context.clientIP.map { LoginThrottleKey(.ip, $0) }, userKey].compactMap { $0 }
        if let until = try await self.services.loginThrottle.blockedUntil(keys, now: now) {
            // Checked before the password, so a blocked attacker learns nothing from guesses.
            let retryAfter = Int(max(1, (until.microseconds - now.microseconds + 999_999) / 1_000_000))
            let audit = context.auditContext(request, actor: username)
            await self.services.audit.record(
                "auth.throttled",
                severity: .high,
                outcome: .failure,
                context: audit,
                description: "login throttled",
                details: ["retry_after": .int(Int64(retryAfter))]
            )
            await self.services.audit.record(
                "auth.login.failed",
                severity: .medium,
                outcome: .failure,
                context: audit,
                description: "login failed: throttled",
                details: ["reason": .string("throttled")]
            )
            throw VigilError.tooManyRequests(retryAfter: retryAfter, detail: "Too many failed logins; retry later.")
        }
        // Every failure path runs one bcrypt verification, so response time does not reveal
        // whether the username exists.
        let user = try await self.services.users.user(username: username)
        let matches = try await self.services.hasher.verify(password, hash: user?.passwordHash ?? self.services.decoyHash)
        let audit = context.auditContext(request, actor: user?.username ?? username)
        guard let user, matches, !user.disabled else {
            // The reason goes to the log only; the client always gets the same answer.
            let reason = user == nil ? "unknown_user" : (matches ? "disabled" : "bad_password")
            // The back-off runs from when the failure is known, not from the request's start: a
            // password check queued behind others on a busy node must not shorten the block.
            _ = try await self.services.loginThrottle.recordLoginFailure(keys, policy: self.services.configuration.loginThrottle, now: .now())
            await self.services.audit.record(
                "auth.login.failed",
                severity: .medium,
                outcome: .failure,
                context: audit,
                entityType: "user",
                entityID: user?.id.lowercased,
                description: "login failed: \(reason)",
                details: ["reason": .string(reason)]
            )
            throw VigilError.unauthenticated("Invalid username or password.")
        }
        try await self.services.loginThrottle.clearLoginFailures(userKey)
        let response = try await self.tokenResponse(for: user, familyID: UUID.v7())
        await self.services.audit.record(
            "auth.login.succeeded",
            severity: .info,
            outcome: .success,
            context: audit,
            entityType: "user",
            entityID: user.id.lowercased
        )
        return response
    }

    @Sendable func refresh(_ request: Request, context: VigilRequestContext) async throws -> Response {
        var body = try await RequestBody.object(request, allowed: ["refresh_token"])
        let secret = body.required("refresh_token", maxLength: 256)
        try body.throwIfInvalid()
        let now = Timestamp.now()
        let fresh = self.services.tokens.newRefreshToken(now: now)
        let rotation = try await self.services.refreshTokens.rotateRefreshToken(
            hash: TokenService.hash(secret),
            successor: fresh.successor,
            now: now
        )
        let rejected = VigilError.unauthenticated("The refresh token is invalid, expired or revoked.")
        switch rotation {
        case .invalid:
            throw rejected
        case .reused(let record):
            let owner = try await self.services.users.user(id: record.userID)
            await self.services.audit.record(
                "auth.refresh.reuse_detected",
                severity: .critical,
                outcome: .failure,
                context: context.auditContext(request, actor: owner?.username),
                entityType: "user",
                entityID: record.userID.lowercased,
                description: "a retired refresh token was presented again; its token family is revoked",
                details: ["family_id": .string(record.familyID.lowercased)]
            )
            throw rejected
        case .rotated(let old):
            guard let user = try await self.services.users.user(id: old.userID), !user.disabled else { throw rejected }
            let response = try await self.tokenResponse(for: user, refresh: fresh.secret)
            await self.services.audit.record(
                "auth.refresh",
                severity: .info,
                outcome: .success,
                context: context.auditContext(request, actor: user.username),
                entityType: "user",
                entityID: user.id.lowercased
            )
            return response
        }
    }

    @Sendable func logout(_ request: Request, context: VigilRequestContext) async throws -> Response {
        var body = try await RequestBody.object(request, allowed: ["refresh_token"])
        let secret = body.required("refresh_token", maxLength: 256)
        try body.throwIfInvalid()
        if let record = try await self.services.refreshTokens.revokeRefreshFamily(hash: TokenService.hash(secret), now: .now()) {
            let owner = try await self.services.users.user(id: record.userID)
            await self.services.audit.record(
                "auth.logout",
                severity: .info,
                outcome: .success,
                context: context.auditContext(request, actor: owner?.username),
                entityType: "user",
                entityID: record.userID.lowercased
            )
        }
        // Unknown tokens get the same answer, so logout cannot be used to probe tokens.
        return Response(status: .noContent, headers: Self.noStore)
    }

    @Sendable func me(_ request: Request, context: VigilRequestContext) async throws -> Response {
        guard let user = try await self.services.users.user(id: try context.requireUserID()) else {
            throw VigilError.unauthenticated("The user no longer exists.")
        }
        return .json(user.json, headers: Self.noStore)
    }

    private func tokenResponse(for user: User, familyID: UUID) async throws -> Response {
        let now = Timestamp.now()
        let fresh = self.services.tokens.newRefreshToken(now: now)
        try await self.services.refreshTokens.insertRefreshToken(
            RefreshTokenRecord(fresh.successor, userID: user.id, familyID: familyID, createdAt: now)
        )
        return try await self.tokenResponse(for: user, refresh: fresh.secret)
    }

    private func tokenResponse(for user: User, refresh: String) async throws -> Response {
        let access = try await self.services.tokens.accessToken(for: user)
        var writer = JSONWriter()
        writer.object { object in
            object.field("access_token", access)
            object.field("refresh_token", refresh)
            object.field("token_type", "Bearer")
            object.field("expires_in", self.services.configuration.accessTokenLifetimeSeconds)
            object.rawField("user", user.json)
        }
        return .json(writer.output, headers: Self.noStore)
    }
}
