import Foundation
import HTTPTypes
import Hummingbird
import VigilCore

/// Authenticates `Authorization: Bearer <access token>`, `Authorization: Bearer vgl_…` or
/// `X-API-Key: vgl_…`. A request without credentials passes
/// through unauthenticated (routes decide whether that is allowed); a presented credential that
/// is invalid, expired, for a disabled or deleted user, or of an outdated token version is
/// rejected with 401 at once.
///
/// Every rejected credential and every 403 from the routes behind it is recorded as an
/// `access.denied` event before the response leaves.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext
    let sessions: SessionTokens
    let apiKeys: APIKeyAuthenticator
    let audit: AuditTrail

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let apiKeyHeader = request.headers[.xAPIKey]
        let authorization = request.headers[.authorization]
        guard authorization != nil || apiKeyHeader != nil else {
            return try await next(request, context)
        }
        var context = context
        do {
            if let apiKeyHeader, authorization == nil {
                context.principal = try await self.apiKeys.authenticate(apiKeyHeader)
            } else {
                context.principal = try await self.authenticate(authorization ?? "")
            }
        } catch VigilError.unauthenticated(let reason) {
            try await self.audit.recordDenial(request, context: context, status: 401, reason: reason)
            throw VigilError.unauthenticated(reason)
        }
        do {
            return try await next(request, context)
        } catch VigilError.forbidden(let reason) {
            try await self.audit.recordDenial(request, context: context, status: 403, reason: reason)
            throw VigilError.forbidden(reason)
        }
    }

    private func authenticate(_ header: String) async throws -> Principal {
        guard header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw VigilError.unauthenticated("Use an Authorization header of the form: Bearer <token>.")
        }
        let token = String(header.dropFirst(7).drop { $0 == " " })
        if token.hasPrefix(APIKeyAuthenticator.secretPrefix) {
            return try await self.apiKeys.authenticate(token)
        }
        guard let principal = try await self.sessions.principal(accessToken: token) else {
            throw VigilError.unauthenticated("The access token is invalid, expired or no longer valid.")
        }
        return principal
    }

}

extension HTTPField.Name {
    static let xAPIKey = Self("X-API-Key")!
}
