import Crypto
import Foundation
import JWTKit
import VigilCore

/// Issues and checks access tokens (JWT HS256) and refresh tokens (random, stored hashed).
public struct TokenService: Sendable {
    let keys: JWTKeyCollection
    let verifier: AccessTokenVerifier
    let accessTokenLifetime: Int64
    let refreshTokenLifetime: Int64

    /// `secret` must be at least 32 bytes (HS256 keys shorter than the hash are weak).
    public init(secret: [UInt8], accessTokenLifetime: Int64, refreshTokenLifetime: Int64) async {
        self.keys = JWTKeyCollection()
        await self.keys.add(hmac: HMACKey(key: SymmetricKey(data: secret)), digestAlgorithm: .sha256)
        self.verifier = AccessTokenVerifier(key: SymmetricKey(data: secret))
        self.accessTokenLifetime = accessTokenLifetime
        self.refreshTokenLifetime = refreshTokenLifetime
    }

    public func accessToken(for user: User, now: Timestamp = .now()) async throws -> String {
        let claims = AccessTokenClaims(
            sub: .init(value: user.id.lowercased),
            iss: .init(value: AccessTokenClaims.issuer),
            aud: .init(value: [AccessTokenClaims.audience]),
            exp: .init(value: now.adding(seconds: self.accessTokenLifetime).date),
            iat: .init(value: now.date),
            ver: user.tokenVersion
        )
        return try await self.keys.sign(claims)
    }

    /// The user id and token version of a valid token, or nil for anything invalid
    /// (bad signature, other algorithm, `none`, expired, wrong issuer or audience, malformed).
    func verifyAccessToken(_ token: String) -> (userID: UUID, version: Int64)? {
        self.verifier.verify(token).map { ($0.userID, $0.version) }
    }

    /// A fresh refresh token: the secret to hand out and what to store (only its hash).
    public func newRefreshToken(now: Timestamp = .now()) -> (secret: String, successor: RefreshTokenRecord.Successor) {
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
        let secret = "vrt_" + Self.base64URL(bytes)
        let successor = RefreshTokenRecord.Successor(
            id: UUID.v7(at: now),
            tokenHash: Self.hash(secret),
            expiresAt: now.adding(seconds: self.refreshTokenLifetime)
        )
        return (secret, successor)
    }

    /// SHA-256 hex of a token secret, the only form stored.
    public static func hash(_ secret: String) -> String {
        Hex.encode(SHA256.hash(data: Array(secret.utf8)))
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Base64URL.encode(bytes)
    }
}
