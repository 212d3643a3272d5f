import Foundation
import JWTKit

/// The claims of a Vigil access token. `ver` is the user's token version at issue time; a token
/// whose version no longer matches the user's is rejected (logout everywhere, role change, …).
struct AccessTokenClaims: JWTPayload {
    static let issuer = "vigil"
    static let audience = "vigil-api"

    var sub: SubjectClaim
    var iss: IssuerClaim
    var aud: AudienceClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    var ver: Int64

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try self.exp.verifyNotExpired()
        try self.aud.verifyIntendedAudience(includes: Self.audience)
        guard self.iss.value == Self.issuer else { throw JWTError.claimVerificationFailure(failedClaim: self.iss, reason: "wrong issuer") }
        // Tolerate small clock differences between nodes, but not tokens minted in the future.
        guard self.iat.value.timeIntervalSinceNow < 60 else {
            throw JWTError.claimVerificationFailure(failedClaim: self.iat, reason: "issued in the future")
        }
    }
}
