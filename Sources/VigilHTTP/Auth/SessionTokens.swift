import Foundation
import Hummingbird
import VigilCore

/// A person's session as tokens: issuing a new token family at sign-in, rotating its refresh
/// token, and ending it. The API (`/api/v1/auth/*`) and the console's cookies both go through
/// here, so reuse detection, revocation and their audit records are the same for both.
struct SessionTokens: Sendable {
    let users: any UserStore
    let refreshTokens: any RefreshTokenStore
    let tokens: TokenService
    let audit: AuditTrail

    struct Issued: Sendable {
        let user: User
        let accessToken: String
        let refreshToken: String
    }

    /// A new token family for `user`, who has just proved who they are.
    func issue(for user: User, familyID: UUID = UUID.v7()) async throws -> Issued {
        let now = Timestamp.now()
        let fresh = self.tokens.newRefreshToken(now: now)
        try await self.refreshTokens.insertRefreshToken(
            RefreshTokenRecord(fresh.successor, userID: user.id, familyID: familyID, createdAt: now)
        )
        return Issued(user: user, accessToken: try await self.tokens.accessToken(for: user), refreshToken: fresh.secret)
    }

    /// Rotates the refresh token `secret`: a new pair, or 401 when it is invalid, expired, revoked,
    /// retired (then its whole family is revoked and `auth.refresh.reuse_detected` recorded) or
    /// belongs to a disabled or deleted user.
    func rotate(_ secret: String, request: Request, context: VigilRequestContext) async throws -> Issued {
        let now = Timestamp.now()
        let fresh = self.tokens.newRefreshToken(now: now)
        let rotation = try await self.refreshTokens.rotateRefreshToken(hash: TokenService.hash(secret), successor: fresh.successor, now: now)
        let rejected = VigilError.unauthenticated("The refresh token is invalid, expired or revoked.")
        switch rotation {
        case .invalid:
            try await self.audit.recordDenial(request, context: context, status: 401, reason: "refresh token invalid, expired or revoked")
            throw rejected
        case .reused(let record):
            let owner = try await self.users.user(id: record.userID)
            try await self.audit.record(
                .refreshReuseDetected,
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
            guard let user = try await self.users.user(id: old.userID), !user.disabled else {
                try await self.audit.recordDenial(request, context: context, status: 401, reason: "refresh for a disabled or deleted user")
                throw rejected
            }
            let access = try await self.tokens.accessToken(for: user)
            try await self.audit.record(
                .refresh,
                severity: .info,
                outcome: .success,
                context: context.auditContext(request, actor: user.username),
                entityType: "user",
                entityID: user.id.lowercased
            )
            return Issued(user: user, accessToken: access, refreshToken: fresh.secret)
        }
    }

    /// Revokes the family of refresh token `secret` and records `auth.logout`; an unknown token
    /// changes nothing and is not an error (so ending a session cannot probe tokens).
    func end(_ secret: String, request: Request, context: VigilRequestContext) async throws {
        guard let record = try await self.refreshTokens.revokeRefreshFamily(hash: TokenService.hash(secret), now: .now()) else { return }
        let owner = try await self.users.user(id: record.userID)
        try await self.audit.record(
            .logout,
            severity: .info,
            outcome: .success,
            context: context.auditContext(request, actor: owner?.username),
            entityType: "user",
            entityID: record.userID.lowercased
        )
    }

    /// The signed-in person an access token names, if it is valid for an enabled user of the
    /// token's version (a password change or disabling revokes every access token at once).
    func principal(accessToken token: String) async throws -> Principal? {
        guard let (userID, version) = self.tokens.verifyAccessToken(token),
            let user = try await self.users.user(id: userID), !user.disabled, user.tokenVersion == version
        else { return nil }
        return Principal(userID: user.id, username: user.username, role: user.role, since: user.createdAt)
    }
}
