import Crypto
import Foundation
import VigilCore

/// Cross-site request forgery tokens for the console's forms (signed double submit). The browser
/// holds a random nonce in an HttpOnly, SameSite=Strict cookie; every form carries
/// `HMAC(key, nonce | user id)`. A forged post has neither the cookie (SameSite) nor a token it
/// could compute (the key never leaves the server), and a token is good only for its session's
/// nonce and person, so one leaked from another session or planted by a sibling domain fails.
struct CSRFGuard: Sendable {
    private let key: SymmetricKey

    /// `secret` is the token-signing secret; the key is derived from it for this one use.
    init(secret: [UInt8]) {
        let derived = HMAC<SHA256>.authenticationCode(for: Array("vigil console csrf v1".utf8), using: SymmetricKey(data: secret))
        self.key = SymmetricKey(data: Data(derived))
    }

    /// A fresh nonce for the cookie.
    static func newNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64URL.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The token forms of this session carry; `userID` is nil before sign-in.
    func token(nonce: String, userID: UUID?) -> String {
        let message = Array("\(nonce)|\(userID?.lowercased ?? "-")".utf8)
        return Base64URL.encode(Array(HMAC<SHA256>.authenticationCode(for: message, using: self.key)))
    }

    /// Whether `presented` is this session's token, compared in constant time.
    func isValid(_ presented: String?, nonce: String?, userID: UUID?) -> Bool {
        guard let presented, let nonce, !nonce.isEmpty else { return false }
        let expected = Array(self.token(nonce: nonce, userID: userID).utf8)
        let given = Array(presented.utf8)
        guard given.count == expected.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(given, expected) { difference |= left ^ right }
        return difference == 0
    }
}
