import VigilCore

/// Deciding whether a password proves a user: the stored throttle (before and after the check),
/// one check at a time per username and address (`LoginGate`), one bcrypt verification on every
/// path (a decoy hash for unknown names, so timing does not reveal which names exist), failure
/// counting, and the audit record of each outcome. Login and password change both go through it;
/// the controllers only parse and answer.
struct LoginFlow: Sendable {
    let users: any UserStore
    let throttle: any LoginThrottleStore
    let policy: LoginThrottlePolicy
    let gate: LoginGate
    let notices: ThrottleNotices
    let hasher: PasswordHasher
    let audit: AuditTrail
    /// A bcrypt hash of a random password, verified against when the username is unknown.
    let decoyHash: String

    /// When `password` is that of the enabled user `username` names, runs `issue` for them
    /// (the tokens) and then records the success; otherwise 401 (bad credentials, one answer for every reason) or 429 (throttled, or
    /// another check for these keys in progress), each attempt recorded as `auth.login.failed`.
    ///
    /// The stored throttle is read before the password check and again after it, and the check
    /// runs only under a gate pass, so parallel guesses cannot all pass a read made before the
    /// first failure is written.
    func login<T: Sendable>(
        username: String,
        password: String,
        clientIP: String?,
        attempt: AuditContext,
        issue: (User) async throws -> T
    ) async throws -> T {
        let userKey = LoginThrottleKey(.user, username)
        let keys = [clientIP.map { LoginThrottleKey(.ip, $0) }, userKey].compactMap { $0 }
        // Checked before the password, so a blocked attacker learns nothing from guesses.
        try await self.refuseIfThrottled(keys, audit: attempt)
        guard let pass = self.gate.enter(keys) else {
            try await self.recordFailedLogin(attempt, reason: "concurrent", user: nil)
            throw VigilError.tooManyRequests(retryAfter: 1, detail: "Another login for this account or address is in progress; retry shortly.")
        }
        defer { self.gate.leave(pass) }
        // Only a name that could be a username is looked up.
        let user = Credentials.isUsername(username) ? try await self.users.user(username: username) : nil
        let matches = try await self.hasher.verify(password, hash: user?.passwordHash ?? self.decoyHash)
        var audit = attempt
        audit.actor = user?.username ?? username
        guard let user, matches, !user.disabled else {
            // The reason goes to the log only; the client always gets the same answer.
            let reason = user == nil ? "unknown_user" : (matches ? "disabled" : "bad_password")
            // The back-off runs from when the failure is known, not from the request's start: a
            // password check queued behind others on a busy node must not shorten the block.
            _ = try await self.throttle.recordLoginFailure(keys, policy: self.policy, now: .now())
            try await self.recordFailedLogin(audit, reason: reason, user: user)
            throw VigilError.unauthenticated("Invalid username or password.")
        }
        // Failures another node recorded while this check ran still count.
        try await self.refuseIfThrottled(keys, audit: audit)
        try await self.throttle.clearLoginFailures(userKey)
        let issued = try await issue(user)
        try await self.audit.record(
            .loginSucceeded,
            severity: .info,
            outcome: .success,
            context: audit,
            entityType: "user",
            entityID: user.id.lowercased
        )
        return issued
    }

    /// Throws unless `password` is `user`'s current one. A wrong password is a guess with a
    /// stolen access token: it counts into the same per-username throttle as failed logins,
    /// one check at a time, and is recorded as `auth.password.failed`.
    func verifyCurrentPassword(_ password: String, of user: User, audit: AuditContext) async throws {
        let key = LoginThrottleKey(.user, user.username)
        let now = Timestamp.now()
        if let until = try await self.throttle.blockedUntil([key], now: now) {
            throw VigilError.tooManyRequests(retryAfter: until.retryAfterSeconds(from: now), detail: "Too many wrong passwords; retry later.")
        }
        guard let pass = self.gate.enter([key]) else {
            throw VigilError.tooManyRequests(retryAfter: 1, detail: "Another password check for this account is in progress; retry shortly.")
        }
        defer { self.gate.leave(pass) }
        guard try await self.hasher.verify(password, hash: user.passwordHash) else {
            _ = try await self.throttle.recordLoginFailure([key], policy: self.policy, now: .now())
            try await self.audit.record(
                .passwordFailed,
                severity: .medium,
                outcome: .failure,
                context: audit,
                entityType: "user",
                entityID: user.id.lowercased,
                description: "password change refused: wrong current password"
            )
            throw VigilError.validation([FieldError(field: "current_password", message: "is not the current password")])
        }
    }

    /// Throws 429 when any of `keys` is blocked. Each refused attempt is an `auth.login.failed`
    /// (so it counts into the brute-force rule's one alert per address); `auth.throttled` is
    /// written once per key set and block, at medium severity, so a blocked client's flood
    /// raises neither an alert per request nor a record per request of its own.
    private func refuseIfThrottled(_ keys: [LoginThrottleKey], audit: AuditContext) async throws {
        let now = Timestamp.now()
        guard let until = try await self.throttle.blockedUntil(keys, now: now) else { return }
        let retryAfter = until.retryAfterSeconds(from: now)
        if self.notices.isNew(keys.map(\.storageKey).joined(separator: "|"), until: until, now: now) {
            try await self.audit.record(
                .throttled,
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
        try await self.audit.record(
            .loginFailed,
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
