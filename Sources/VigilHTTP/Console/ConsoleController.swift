import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import VigilCore

/// The analyst console: server-rendered pages over the API's own handlers (`InProcessAPI`), so
/// every read and change is the `/api/v1` request it stands for, made as the signed-in person.
/// Sign-in, the session cookies and CSRF are `ConsoleSessionMiddleware`'s; throttling and the
/// audit of sign-ins are `LoginFlow`'s, as for `POST /api/v1/auth/login`.
struct ConsoleController: Sendable {
    let api: Routes
    let sessions: SessionTokens
    let loginFlow: LoginFlow
    let cookies: ConsoleCookies
    let renderer: ConsoleRenderer
    let reference: APIReference
    let middleware: ConsoleSessionMiddleware

    func addRoutes(to router: Router<VigilRequestContext>) {
        router.get("assets/console.css") { _, _ in Self.asset(ConsoleAssets.css, type: "text/css; charset=utf-8") }
        router.get("assets/console.js") { _, _ in Self.asset(ConsoleAssets.javascript, type: "text/javascript; charset=utf-8") }
        let pages = router.group().add(middleware: self.middleware)
        pages.get("/", use: self.home)
        pages.post("sign-in", use: self.signIn)
        pages.post("sign-out", use: self.signOut)
        pages.get("docs", use: self.docs)
        self.addAlertRoutes(to: pages)
        self.addEventRoutes(to: pages)
        self.addAdminRoutes(to: pages)
    }

    static func asset(_ text: String, type: String) -> Response {
        let headers: HTTPFields = [.contentType: type, .cacheControl: "public, max-age=3600"]
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// `/`: the sign-in form, or the landing page of the signed-in person's role (the alert
    /// queue; event search for the role `user`, who sees no alerts).
    @Sendable func home(_ request: Request, context: VigilRequestContext) async throws -> Response {
        if let principal = context.principal { return Self.redirect(principal.role == .user ? "/events" : "/alerts") }
        return self.signInPage(context: context, username: "", failure: nil, status: .ok)
    }

    func signInPage(context: VigilRequestContext, username: String, failure: String?, status: HTTPResponse.Status) -> Response {
        var values: [String: Any] = ["username": username]
        if let failure { values["failure"] = failure }
        return self.renderer.page("sign-in", title: "Sign in", context: context, values: values, status: status)
    }

    /// `POST /sign-in`: `LoginFlow` decides (same throttle, bcrypt and audit as the API login);
    /// success issues a token family held in cookies, and a new CSRF nonce for the new session.
    @Sendable func signIn(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let form = try context.consoleState()
        let username = form.field("username")
        let password = form.field("password")
        guard !username.isEmpty, !password.isEmpty, username.utf8.count <= 256, password.utf8.count <= Credentials.maxPasswordBytes else {
            return self.signInPage(context: context, username: "", failure: "Enter a username and a password.", status: .badRequest)
        }
        do {
            let issued = try await self.loginFlow.login(
                username: username,
                password: password,
                clientIP: context.clientIP,
                attempt: context.auditContext(request, actor: username)
            ) { user in try await self.sessions.issue(for: user) }
            var response = Self.redirect("/")
            for cookie in self.cookies.session(accessToken: issued.accessToken, refreshToken: issued.refreshToken) {
                response.headers.append(HTTPField(name: .setCookie, value: cookie))
            }
            let nonce = CSRFGuard.newNonce()
            response.headers.append(
                HTTPField(name: .setCookie, value: self.cookies.setCookie(ConsoleCookies.csrf, nonce, maxAge: self.cookies.refreshLifetime))
            )
            return response
        } catch VigilError.unauthenticated {
            return self.signInPage(context: context, username: username, failure: "Wrong username or password.", status: .unauthorized)
        } catch VigilError.tooManyRequests(let retryAfter, _) {
            var response = self.signInPage(
                context: context,
                username: username,
                failure: "Too many failed sign-ins. Try again in \(retryAfter) seconds.",
                status: .tooManyRequests
            )
            response.headers[.retryAfter] = String(retryAfter)
            return response
        }
    }

    /// `POST /sign-out`: revokes the session's token family (as `POST /api/v1/auth/logout`) and
    /// deletes the cookies.
    @Sendable func signOut(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.consoleState()
        if let refresh = ConsoleCookies.value(ConsoleCookies.refresh, in: request.headers) {
            try await self.sessions.end(refresh, request: request, context: context)
        }
        var response = Self.redirect("/")
        for cookie in self.cookies.cleared { response.headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return response
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// The path and query of `path` with `query` (for links that keep a page's filters).
    static func link(_ path: String, _ query: [(String, String)]) -> String {
        query.isEmpty ? path : path + "?" + QueryString.encode(query)
    }
}

extension VigilRequestContext {
    /// The console's state; only pages behind `ConsoleSessionMiddleware` have it.
    func consoleState() throws -> ConsoleRequestState {
        guard let console else { throw VigilError.unauthenticated("No console session.") }
        return console
    }

    /// The signed-in person, or a redirect to sign-in.
    func signedIn() throws -> Principal {
        guard let principal, principal.userID != nil else { throw VigilError.unauthenticated("Sign in first.") }
        return principal
    }
}

extension ConsoleController {
    /// The console over `api`'s handlers, with `access`'s session tokens, login flow and CSRF key.
    init(configuration: AppConfiguration, api: Routes, access: AccessControl, audit: AuditTrail) throws {
        let cookies = ConsoleCookies(
            secure: configuration.resolvedPublicURL.lowercased().hasPrefix("https://"),
            refreshLifetime: configuration.refreshTokenLifetimeSeconds,
            accessLifetime: configuration.accessTokenLifetimeSeconds
        )
        let renderer = try ConsoleRenderer(version: configuration.version)
        self.init(
            api: api,
            sessions: access.sessions,
            loginFlow: access.loginFlow,
            cookies: cookies,
            renderer: renderer,
            reference: try APIReference(document: Array(OpenAPIDocument.embedded.utf8)),
            middleware: ConsoleSessionMiddleware(
                sessions: access.sessions,
                csrf: access.csrf,
                cookies: cookies,
                coalescer: RefreshCoalescer(),
                audit: audit,
                renderer: renderer
            )
        )
    }
}
