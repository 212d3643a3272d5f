import Foundation
import HTTPTypes
import Hummingbird
import VigilCore

/// Authenticates `Authorization: Bearer <access token>`. A request without credentials passes
/// through unauthenticated (routes decide whether that is allowed); a presented credential that
/// is invalid, expired, for a disabled or deleted user, or of an outdated token version is
/// rejected with 401 at once.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext
    let tokens: TokenService
    let users: any UserStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            return try await next(request, context)
        }
        guard header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw VigilError.unauthenticated("Use an Authorization header of the form: Bearer <token>.")
        }
        let token = String(header.dropFirst(7).drop { $0 == " " })
        guard let (userID, version) = self.tokens.verifyAccessToken(token) else {
            throw VigilError.unauthenticated("The access token is invalid or expired.")
        }
        guard let user = try await self.users.user(id: userID), !user.disabled, user.tokenVersion == version else {
            throw VigilError.unauthenticated("The access token is no longer valid.")
        }
        var context = context
        context.principal = Principal(userID: user.id, username: user.username, role: user.role)
        return try await next(request, context)
    }
}
