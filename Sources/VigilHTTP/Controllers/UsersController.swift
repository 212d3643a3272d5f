import Foundation
import HTTPTypes
import Hummingbird
import VigilCore

/// `/api/v1/users` (admin only) and `POST /api/v1/auth/password` (any signed-in user).
struct UsersController: Sendable {
    let users: any UserStore
    let hasher: PasswordHasher
    /// Checks the current password on a password change.
    let loginFlow: LoginFlow
    let audit: AuditTrail

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.get("users", use: self.list)
        group.post("users", use: self.create)
        group.get("users/{id}", use: self.show)
        group.patch("users/{id}", use: self.update)
        group.delete("users/{id}", use: self.delete)
        group.post("auth/password", use: self.changePassword)
    }

    @Sendable func list(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        let users = try await self.users.users()
        return .json("{\"items\":[" + users.map(\.json).joined(separator: ",") + "]}")
    }

    @Sendable func create(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        var body = try await RequestBody.object(request, allowed: ["username", "password", "role"])
        let username = body.required("username", maxLength: 64)
        let password = body.required("password", maxLength: Credentials.passwordLengths.upperBound)
        let roleText = body.required("role", maxLength: 16)
        let role = Role(rawValue: roleText.lowercased())
        try body.throwIfInvalid(role == nil && !roleText.isEmpty ? [FieldError(field: "role", message: "must be admin, analyst or user")] : [])
        let user = try await UserAdministration(users: self.users, hasher: self.hasher)
            .createUser(username: username, password: password, role: role ?? .user)
        try await self.audit.record(
            .userCreated,
            severity: .medium,
            outcome: .success,
            context: context.auditContext(request),
            entityType: "user",
            entityID: user.id.lowercased,
            details: ["username": .string(user.username), "role": .string(user.role.rawValue)]
        )
        return .json(user.json, status: .created)
    }

    @Sendable func show(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        guard let user = try await self.users.user(id: try context.idParameter()) else { throw VigilError.notFound("No user with this id.") }
        return .json(user.json)
    }

    @Sendable func update(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        let id = try context.idParameter()
        let body = try await RequestBody.object(request, allowed: ["role", "disabled"])
        var change = UserChange()
        var errors: [FieldError] = []
        switch body.fields["role"] {
        case .none: break
        case .string(let text)?:
            if let role = Role(rawValue: text.lowercased()) {
                change.role = role
            } else {
                errors.append(FieldError(field: "role", message: "must be admin, analyst or user"))
            }
        default: errors.append(FieldError(field: "role", message: "must be a string"))
        }
        switch body.fields["disabled"] {
        case .none: break
        case .bool(let flag)?: change.disabled = flag
        default: errors.append(FieldError(field: "disabled", message: "must be a boolean"))
        }
        try body.throwIfInvalid(errors)
        guard let (before, after) = try await self.users.updateUser(id: id, change, now: .now()) else {
            throw VigilError.notFound("No user with this id.")
        }
        if before != after {
            func state(_ user: User) -> JSONValue { .object(["role": .string(user.role.rawValue), "disabled": .bool(user.disabled)]) }
            try await self.audit.record(
                .userUpdated,
                severity: .medium,
                outcome: .success,
                context: context.auditContext(request),
                entityType: "user",
                entityID: id.lowercased,
                details: ["username": .string(after.username), "before": state(before), "after": state(after)]
            )
        }
        return .json(after.json)
    }

    @Sendable func delete(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        let id = try context.idParameter()
        guard let user = try await self.users.deleteUser(id: id) else { throw VigilError.notFound("No user with this id.") }
        try await self.audit.record(
            .userDeleted,
            severity: .medium,
            outcome: .success,
            context: context.auditContext(request),
            entityType: "user",
            entityID: id.lowercased,
            details: ["username": .string(user.username), "role": .string(user.role.rawValue)]
        )
        return Response(status: .noContent)
    }

    @Sendable func changePassword(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let userID = try context.requireUserID()
        var body = try await RequestBody.object(request, allowed: ["current_password", "new_password"])
        let current = body.required("current_password", maxLength: Credentials.maxPasswordBytes)
        let new = body.required("new_password", maxLength: Credentials.maxPasswordBytes)
        try body.throwIfInvalid()
        guard let user = try await self.users.user(id: userID) else {
            throw VigilError.unauthenticated("The user no longer exists.")
        }
        try await self.loginFlow.verifyCurrentPassword(current, of: user, audit: context.auditContext(request))
        do {
            try await UserAdministration(users: self.users, hasher: self.hasher).setPassword(of: user, to: new)
        } catch VigilError.validation(let problems) {
            throw VigilError.validation(problems.map { FieldError(field: $0.field == "password" ? "new_password" : $0.field, message: $0.message) })
        } catch VigilError.notFound {
            // Deleted while the password was checked: the same answer as a token of a deleted user.
            throw VigilError.unauthenticated("The user no longer exists.")
        }
        try await self.audit.record(
            .passwordChanged,
            severity: .low,
            outcome: .success,
            context: context.auditContext(request),
            entityType: "user",
            entityID: user.id.lowercased,
            description: "password changed; every token of this user was revoked"
        )
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }
}
