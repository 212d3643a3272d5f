import ArgumentParser
import VigilHTTP

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema, then exit.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let storage = try await Storage.open(
            databaseURL: self.database.resolvedDatabaseURL,
            options: try self.database.storageOptions(),
            migrate: false,
            logger: try self.database.logger()
        )
        let pending = try await storage.migrate()
        await storage.close()
        print(pending.isEmpty ? "Database schema is up to date." : "Applied migrations: \(pending)")
    }
}
