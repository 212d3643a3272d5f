import Foundation
import Hummingbird
import VigilCore

extension AuthController {
    /// `POST /api/v1/auth/login`: parse, let `LoginFlow` decide, answer with a new token family.
    @Sendable func login(_ request: Request, context: VigilRequestContext) async throws -> Response {
        var body = try await RequestBody.object(request, allowed: ["username", "password"], limit: RequestBody.credentialsLimit)
        let username = body.required("username", maxLength: 256)
        let password = body.required("password", maxLength: Credentials.maxPasswordBytes)
        try body.throwIfInvalid()
        return try await self.loginFlow.login(
            username: username,
            password: password,
            clientIP: context.clientIP,
            attempt: context.auditContext(request, actor: username)
        ) { user in
            self.tokenResponse(try await self.sessions.issue(for: user))
        }
    }
}
