import Foundation
import HTTPTypes

/// The console's cookies: the access token, the refresh token and the CSRF nonce. All are
/// `HttpOnly` (no script reads them), `SameSite=Strict` (no other site's page sends them) and
/// `Secure` when Vigil's public URL is https.
struct ConsoleCookies: Sendable {
    static let access = "vigil_access"
    static let refresh = "vigil_refresh"
    static let csrf = "vigil_csrf"

    let secure: Bool
    /// Seconds the refresh cookie lives: the refresh token's own lifetime.
    let refreshLifetime: Int64
    let accessLifetime: Int64

    /// The value of cookie `name` in the request's `Cookie` headers (the first one wins).
    static func value(_ name: String, in headers: HTTPFields) -> String? {
        for header in headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let trimmed = pair.drop { $0 == " " }
                guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals] == name else { continue }
                let value = trimmed[trimmed.index(after: equals)...]
                return value.isEmpty || value.count > 4096 ? nil : String(value)
            }
        }
        return nil
    }

    /// A `Set-Cookie` value; `maxAge` 0 deletes the cookie.
    func setCookie(_ name: String, _ value: String, maxAge: Int64) -> String {
        var text = "\(name)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
        if self.secure { text += "; Secure" }
        return text
    }

    /// The cookies of a session that has just been issued or rotated.
    func session(accessToken: String, refreshToken: String) -> [String] {
        [
            self.setCookie(Self.access, accessToken, maxAge: self.accessLifetime),
            self.setCookie(Self.refresh, refreshToken, maxAge: self.refreshLifetime),
        ]
    }

    /// Deletes the session cookies (sign-out, or a session that is no longer valid).
    var cleared: [String] {
        [self.setCookie(Self.access, "", maxAge: 0), self.setCookie(Self.refresh, "", maxAge: 0)]
    }
}
