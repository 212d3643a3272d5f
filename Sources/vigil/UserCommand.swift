import ArgumentParser
import Foundation
import VigilCore
import VigilHTTP

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage users.",
        subcommands: [Create.self, List.self]
    )

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
            guard let role = Role(rawValue: self.role.lowercased()) else {
                throw ValidationError("--role must be admin, analyst or user")
            }
            guard self.passwordStdin else { throw ValidationError("pass --password-stdin and the password on standard input") }
            guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                throw ValidationError("no password on standard input")
            }
            let storage = try await Storage.open(databaseURL: self.database.resolvedDatabaseURL, logger: try self.database.logger())
            let result = await Result(catching: {
                try await UserAdministration(users: storage.users).createUser(username: self.username, password: password, role: role)
            })
            await storage.close()
            do {
                let user = try result.get()
                print("Created \(role.rawValue) '\(user.username)' (\(user.id.lowercased)).")
            } catch VigilError.validation(let errors) {
                throw ValidationError(errors.map { "\($0.field) \($0.message)" }.joined(separator: "; "))
            } catch VigilError.conflict {
                throw ValidationError("the username '\(self.username)' is taken")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let storage = try await Storage.open(databaseURL: self.database.resolvedDatabaseURL, logger: try self.database.logger())
            let users = try await storage.users.users()
            await storage.close()
            for user in users {
                print(
                    "\(user.id.lowercased)  \(user.role.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))  \(user.disabled ? "disabled" : "enabled ")  \(user.username)"
                )
            }
        }
    }
}
