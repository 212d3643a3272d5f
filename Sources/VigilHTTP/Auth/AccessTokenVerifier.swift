import Crypto
import Foundation
import VigilCore

/// Verifies Vigil's HS256 access tokens on every request.
///
/// JWTKit (used to sign) verifies through an actor and Foundation's `JSONDecoder`; measured
/// here that capped authenticated requests at ~5,000/s against a ~19,000/s HTTP ceiling. This
/// verifier accepts exactly what `TokenService` issues and nothing else: header `alg` must be
/// `HS256` (so `none` and every other algorithm fail), the signature is compared in constant
/// time, and `iss`, `aud`, `exp`, `iat` (and `nbf` if present) are checked.
struct AccessTokenVerifier: Sendable {
    let key: SymmetricKey

    struct Claims: Equatable {
        let userID: UUID
        let version: Int64
    }

    func verify(_ token: String, now: Timestamp = .now()) -> Claims? {
        let parts = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard token.utf8.count <= 4096, parts.count == 3,
            let headerBytes = Self.base64URLDecode(parts[0]), let payloadBytes = Self.base64URLDecode(parts[1]),
            let signature = Self.base64URLDecode(parts[2]), signature.count == 32
        else { return nil }
        let signed = token.utf8.prefix(parts[0].count + 1 + parts[1].count)
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Array(signed), using: self.key),
            case .object(let header)? = try? JSONParser.parse(headerBytes, maxDepth: 4),
            header["alg"] == .string("HS256"), header["crit"] == nil,
            case .object(let claims)? = try? JSONParser.parse(payloadBytes, maxDepth: 4)
        else { return nil }
        let nowSeconds = Double(now.microseconds) / 1_000_000
        guard claims["iss"] == .string(AccessTokenClaims.issuer),
            Self.audience(claims["aud"]).contains(AccessTokenClaims.audience),
            let exp = Self.number(claims["exp"]), exp > nowSeconds,
            let iat = Self.number(claims["iat"]), iat < nowSeconds + 60,
            Self.number(claims["nbf"]).map({ $0 <= nowSeconds + 60 }) ?? true,
            case .string(let subject)? = claims["sub"], let userID = UUID(canonical: subject),
            case .int(let version)? = claims["ver"]
        else { return nil }
        return Claims(userID: userID, version: version)
    }

    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let number)?: Double(number)
        case .double(let number)?: number
        default: nil
        }
    }

    static func audience(_ value: JSONValue?) -> [String] {
        switch value {
        case .string(let single)?: [single]
        case .array(let items)?: items.compactMap { if case .string(let text) = $0 { text } else { nil } }
        default: []
        }
    }

    static func base64URLDecode(_ part: Substring.UTF8View.SubSequence) -> [UInt8]? {
        Base64URL.decode(part)
    }
}
