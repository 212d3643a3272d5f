import Foundation
import Hummingbird
import VigilCore

extension AuthController {
    /// `POST /api/v1/auth/login`.
    ///
    /// The stored throttle is read before the password check and again after it, and the
    /// check runs only under a `LoginGate` pass (one per username, a few per address, per
    /// node), so parallel guesses cannot all pass a read made before the first failure is written.
    @Sendable func login(_ request: Request, context: VigilRequestContext) async throws -> Response {
        var body = try await RequestBody.object(request, allowed: ["username", "password"], limit: RequestBody.credentialsLimit)
        let username = body.required("username", maxLength: 256)
        let password = body.required("password", maxLength: Credentials.maxPasswordBytes)
        try body.throwIfInvalid()
        let userKey = LoginThrottleKey(.user, username)
        let keys = [context.clientIP.map { LoginThrottleKey(.ip, $0) }, userKey].compactMap { $0 }
        let attempt = context.auditContext(request, actor: username)
        // Checked before the password, so a blocked attacker learns nothing from guesses.
        try await self.refuseIfThrottled(keys, audit: attempt)
        guard let pass = self.services.abuse.logins.enter(keys) else {
            try await self.recordFailedLogin(attempt, reason: "concurrent", user: nil)
            throw VigilError.tooManyRequests(retryAfter: 1, detail: "Another login for this account or address is in progress; retry shortly.")
        }
        defer { self.services.abuse.logins.leave(pass) }
        // Every failure path runs one bcrypt verification, so response time does not reveal
        // whether the username exists. Only a name that could be a username is looked up.
        let user = Credentials.isUsername(username) ? try await self.services.users.user(username: username) : nil
        let matches = try await self.services.hasher.verify(password, hash: user?.passwordHash ?? self.services.decoyHash)
        let audit = context.auditContext(request, actor: user?.username ?? username)
        guard let user, matches, !user.disabled else {
            // The reason goes to the log only; the client always gets the same answer.
            let reason = user == nil ? "unknown_user" : (matches ? "disabled" : "bad_password")
            // The back-off runs from when the failure is known, not from the request's start: a
            // password check queued behind others on a busy node must not shorten the block.
            _ = try await self.services.loginThrottle.recordLoginFailure(keys, policy: self.services.configuration.loginThrottle, now: .now())
            try await self.recordFailedLogin(audit, reason: reason, user: user)
            throw VigilError.unauthenticated("Invalid username or password.")
        }
        // Failures another node recorded while this check ran still count.
        try await self.refuseIfThrottled(keys, audit: audit)
        try await self.services.loginThrottle.clearLoginFailures(userKey)
        let response = try await self.tokenResponse(for: user, familyID: UUID.v7())
        try await self.services.audit.record(
            "auth.login.succeeded",
            severity: .info,
            outcome: .success,
            context: audit,
            entityType: "user",
            entityID: user.id.lowercased
        )
        return response
    }

    /// Throws 429 when any of `keys` is blocked. Each refused attempt is an `auth.login.failed`
    /// (so it counts into the brute-force rule's one alert per address); `auth.throttled` is
    /// written once per key set and block, at medium severity, so a blocked client's flood
    /// raises neither an alert per request nor a record per request of its own.
    private func refuseIfThrottled(_ keys: [LoginThrottleKey], audit: AuditContext) async throws {
        let now = Timestamp.now()
        guard let until = try await self.services.loginThrottle.blockedUntil(keys, now: now) else { return }
        let retryAfter = until.retryAfterSeconds(from: now)
        if self.services.abuse.notices.isNew(keys.map(\.storageKey).joined(separator: "|"), until: until, now: now) {
            try await self.services.audit.record(
                "auth.throttled",
                severity: .medium,
                outcome: .failure,
                context: audit,
                description: "login throttled",
                details: ["retry_after": .int(Int64(retryAfter)), "blocked_until": .string(until.rfc3339)]
            )
        }
        try await self.recordFailedLogin(audit, reason: "throttled", user: nil)
        throw VigilError.tooManyRequests(retryAfter: retryAfter, detail: "Too many failed logins; retry later.")
    }

    private func recordFailedLogin(_ audit: AuditContext, reason: String, user: User?) async throws {
        try await self.services.audit.record(
            "auth.login.failed",
            severity: .medium,
            outcome: .failure,
            context: audit,
            entityType: user == nil ? nil : "user",
            entityID: user?.id.lowercased,
            description: "login failed: \(reason)",
            details: ["reason": .string(reason)]
        )
    }
}
