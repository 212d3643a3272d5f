import ArgumentParser
import VigilCore
import VigilHTTP

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the database while the server runs (SQLite; on PostgreSQL use pg_dump)."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The new file to write (mode 0600; an existing file is never overwritten).")
    var output: String

    func run() async throws {
        let output = self.output
        do {
            try await self.database.withStorage(migrate: false) { try await $0.backup(to: output) }
        } catch let error as StartupError {
            throw ValidationError(error.message)
        }
        print("Wrote \(output).")
    }
}
