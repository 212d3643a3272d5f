import ArgumentParser
import VigilCore
import VigilHTTP

extension UserCommand {
    struct SetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-password",
            abstract: "Set a user's password, read from standard input (revokes their tokens)."
        )

        @OptionGroup var database: DatabaseOptions

        @Option var username: String

        @Flag(name: .customLong("password-stdin"), help: "Read the password from the first line of standard input (required).")
        var passwordStdin = false

        func run() async throws {
            let password = try AdministrativeChange.secretFromStandardInput(self.passwordStdin, what: "password")
            let username = self.username
            let update = try await UserCommand.administer(self.database) {
                try await $0.setPassword(username: username, to: password)
            } audit: {
                (.passwordChanged, $0.after.id.lowercased, ["username": .string($0.after.username)])
            }
            print("'\(update.after.username)' has a new password; their tokens are revoked.")
        }
    }
}
