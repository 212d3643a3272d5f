import ArgumentParser
import VigilCore
import VigilHTTP

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema, then exit.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let pending = try await self.database.withStorage(migrate: false) { try await $0.migrate() }
        print(pending.isEmpty ? "Database schema is up to date." : "Applied migrations: \(pending)")
    }
}
