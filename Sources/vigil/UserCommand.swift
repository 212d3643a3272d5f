import ArgumentParser
import Foundation
import VigilCore
import VigilHTTP

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage users (works while the server runs; a running server sees role and disabled changes within a second).",
        subcommands: [List.self, Create.self, SetRole.self, SetPassword.self, Disable.self, Enable.self]
    )

    /// Runs `body` with user administration as one audited command-line change of a user.
    static func administer<T: Sendable>(
        _ database: DatabaseOptions,
        _ body: (UserAdministration) async throws -> T,
        audit: @escaping (T) -> (type: AuditEventType, entityID: String, details: [String: JSONValue])
    ) async throws -> T {
        try await AdministrativeChange.run(database) { storage in
            try await UserAdministration.withAdministration(users: storage, body)
        } audit: { value in
            let entry = audit(value)
            return AdministrativeChange.Entry(type: entry.type, entityType: "user", entityID: entry.entityID, details: entry.details)
        }
    }

    /// Applies `change` to `username` and records `user.updated` with before and after.
    static func update(_ username: String, _ change: UserChange, _ database: DatabaseOptions) async throws -> UserUpdate {
        try await Self.administer(database) {
            try await $0.update(username: username, change)
        } audit: {
            (
                .userUpdated, $0.after.id.lowercased,
                ["username": .string($0.after.username), "before": Self.state($0.before), "after": Self.state($0.after)]
            )
        }
    }

    static func state(_ user: User) -> JSONValue {
        .object(["role": .string(user.role.rawValue), "disabled": .bool(user.disabled)])
    }

    static func role(_ text: String) throws -> Role {
        guard let role = Role(rawValue: text.lowercased()) else { throw ValidationError("--role must be admin, analyst or user") }
        return role
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let users = try await self.database.withStorage { try await $0.users() }
            for user in users {
                let role = user.role.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
                print("\(user.id.lowercased)  \(role)  \(user.disabled ? "disabled" : "enabled ")  \(user.username)")
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user; the password is read from standard input.")

        @OptionGroup var database: DatabaseOptions

        @Option(help: "Username (3-64 characters of A-Z a-z 0-9 _ . @ -).")
        var username: String

        @Option(help: "admin|analyst|user")
        var role: String

        @Flag(name: .customLong("password-stdin"), help: "Read the password from the first line of standard input (required).")
        var passwordStdin = false

        func run() async throws {
            let role = try UserCommand.role(self.role)
            let password = try AdministrativeChange.secretFromStandardInput(self.passwordStdin, what: "password")
            let username = self.username
            let user = try await UserCommand.administer(self.database) {
                try await $0.createUser(username: username, password: password, role: role)
            } audit: {
                (.userCreated, $0.id.lowercased, ["username": .string($0.username), "role": .string($0.role.rawValue)])
            }
            print("Created \(role.rawValue) '\(user.username)' (\(user.id.lowercased)).")
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-role", abstract: "Change a user's role (revokes their tokens).")

        @OptionGroup var database: DatabaseOptions

        @Option var username: String

        @Option(help: "admin|analyst|user")
        var role: String

        func run() async throws {
            let role = try UserCommand.role(self.role)
            let username = self.username
            let user = try await UserCommand.update(username, UserChange(role: role), self.database)
            print("'\(user.after.username)' is now \(user.after.role.rawValue).")
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user (revokes their tokens).")

        @OptionGroup var database: DatabaseOptions

        @Option var username: String

        func run() async throws {
            let username = self.username
            let user = try await UserCommand.update(username, UserChange(disabled: true), self.database)
            print("'\(user.after.username)' is disabled.")
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user.")

        @OptionGroup var database: DatabaseOptions

        @Option var username: String

        func run() async throws {
            let username = self.username
            let user = try await UserCommand.update(username, UserChange(disabled: false), self.database)
            print("'\(user.after.username)' is enabled.")
        }
    }
}
