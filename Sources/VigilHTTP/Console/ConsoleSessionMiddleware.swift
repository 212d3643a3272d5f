import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import VigilCore

/// In front of every console page: authenticates the session cookies (rotating the refresh
/// token through `SessionTokens` when the access token has expired), keeps the CSRF nonce, and
/// refuses any `POST` whose form lacks this session's CSRF token before a handler runs. As
/// for the API, every refusal (bad CSRF token, 403 from a handler) is an `access.denied` event.
struct ConsoleSessionMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext
    let sessions: SessionTokens
    let csrf: CSRFGuard
    let cookies: ConsoleCookies
    let coalescer: RefreshCoalescer
    let audit: AuditTrail
    let renderer: ConsoleRenderer
    static let formLimit = 64 << 10

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var setCookies: [String] = []
        try await self.authenticate(request, context: &context, setCookies: &setCookies)
        let presentedNonce = ConsoleCookies.value(ConsoleCookies.csrf, in: request.headers)
        let nonce = presentedNonce ?? CSRFGuard.newNonce()
        if presentedNonce == nil { setCookies.append(self.cookies.setCookie(ConsoleCookies.csrf, nonce, maxAge: self.cookies.refreshLifetime)) }
        context.console = ConsoleRequestState(csrfToken: self.csrf.token(nonce: nonce, userID: context.principal?.userID))
        var response: Response
        do {
            if request.method == .post {
                let form = try await self.form(request, context: context, nonce: presentedNonce)
                context.console?.form = form
            }
            response = try await next(request, context)
        } catch let error as VigilError {
            response = try await self.failure(error, request: request, context: context)
        } catch let failure as ValidationFailure {
            response = try await self.failure(.validation(failure.errors), request: request, context: context)
        } catch {
            // Unknown errors stay opaque, as in ErrorMiddleware; answered here so the response
            // still carries the cookies of a session rotated by this request.
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            response = self.renderer.failure(Problem.internalError, context: context)
        }
        // Even a failed request keeps a rotated session: dropping its cookies would make the
        // browser present the retired refresh token next time, which revokes the family.
        // A cookie the handler set itself (sign-in, sign-out) wins over the middleware's.
        let handlerSet = Set(response.headers[values: .setCookie].map { $0.prefix { $0 != "=" } })
        for cookie in setCookies where !handlerSet.contains(cookie.prefix { $0 != "=" }) {
            response.headers.append(HTTPField(name: .setCookie, value: cookie))
        }
        return response
    }

    /// The page for an error: sign-in for a missing session, otherwise the problem as HTML
    /// (403s are recorded as `access.denied`, as the API's are).
    private func failure(_ error: VigilError, request: Request, context: Context) async throws -> Response {
        switch error {
        case .unauthenticated:
            return Response(status: .seeOther, headers: [.location: "/", .cacheControl: "no-store"])
        case .forbidden(let reason):
            try await self.audit.recordDenial(request, context: context, status: 403, reason: reason)
            return self.renderer.failure(error, context: context)
        default:
            return self.renderer.failure(error, context: context)
        }
    }

    /// Sets the principal from a valid access cookie, or from rotating the refresh cookie.
    private func authenticate(_ request: Request, context: inout Context, setCookies: inout [String]) async throws {
        if let access = ConsoleCookies.value(ConsoleCookies.access, in: request.headers),
            let principal = try await self.sessions.principal(accessToken: access)
        {
            context.principal = principal
            return
        }
        guard let refresh = ConsoleCookies.value(ConsoleCookies.refresh, in: request.headers) else { return }
        let sessions = self.sessions
        let snapshot = context
        do {
            let issued = try await self.coalescer.rotate(refresh) { try await sessions.rotate(refresh, request: request, context: snapshot) }
            context.principal = Principal(
                userID: issued.user.id,
                username: issued.user.username,
                role: issued.user.role,
                since: issued.user.createdAt
            )
            setCookies += self.cookies.session(accessToken: issued.accessToken, refreshToken: issued.refreshToken)
        } catch VigilError.unauthenticated {
            setCookies += self.cookies.cleared
        }
    }

    /// The posted form, once its CSRF token is this session's.
    private func form(_ request: Request, context: Context, nonce: String?) async throws -> [(String, String)] {
        let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard type == "application/x-www-form-urlencoded" else {
            throw VigilError.unsupportedMediaType("Console forms are sent as application/x-www-form-urlencoded.")
        }
        let body = try await RequestBody.collect(request, limit: Self.formLimit)
        guard let pairs = QueryString.parse(String(buffer: body)) else {
            throw VigilError.validation([FieldError(field: "", message: "the form is not valid percent-encoded UTF-8")])
        }
        let token = pairs.first { $0.0 == "csrf" }?.1
        guard self.csrf.isValid(token, nonce: nonce, userID: context.principal?.userID) else {
            throw VigilError.forbidden(
                "This form has expired or did not come from this console (no valid CSRF token). Reload the page and try again."
            )
        }
        return pairs.filter { $0.0 != "csrf" }
    }
}
