import ArgumentParser

/// The `vigil` command: a thin shell over `VigilHTTP`.
@main
struct Vigil: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Security audit trail, threat detection and alert management server.",
        version: BuildInfo.description,
        subcommands: [Serve.self, Migrate.self, UserCommand.self, APIKeyCommand.self, BackupCommand.self, LedgerCommand.self, VerifyCommand.self],
        defaultSubcommand: Serve.self
    )
}
