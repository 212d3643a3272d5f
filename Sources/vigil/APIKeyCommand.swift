import ArgumentParser
import Foundation
import VigilCore
import VigilHTTP

struct APIKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey",
        abstract: "Manage API keys for machines (the secret is shown once, at creation).",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key; prints its secret once.")

        @OptionGroup var database: DatabaseOptions

        @Option(help: "1-128 characters of A-Z a-z 0-9 _ . : -")
        var name: String

        @Option(name: .customLong("scope"), help: "A scope (repeat for several): \(APIKeyAdministration.scopeList).")
        var scopes: [String] = []

        @Option(name: .customLong("expires-at"), help: "RFC 3339 time after which the key stops working.")
        var expiresAt: String?

        func run() async throws {
            let (name, scopes, expiresAt) = (self.name, self.scopes, self.expiresAt)
            let issued = try await AdministrativeChange.run(self.database) { storage in
                try await APIKeyAdministration(keys: storage).create(name: name, scopes: scopes, expiresAt: expiresAt, createdBy: "cli")
            } audit: {
                AdministrativeChange.Entry(
                    type: .apiKeyCreated,
                    entityType: "api_key",
                    entityID: $0.key.id.lowercased,
                    details: ["name": .string($0.key.name), "scopes": .array($0.key.scopes.map(\.rawValue).sorted().map(JSONValue.string))]
                )
            }
            print("Created API key '\(issued.key.name)' (\(issued.key.id.lowercased)). Its secret, shown only now:")
            print(issued.secret)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List API keys (never their secrets).")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            for key in try await self.database.withStorage({ try await APIKeyAdministration(keys: $0).list() }) {
                let state = key.revokedAt != nil ? "revoked" : (key.expiresAt.map { $0 <= .now() } ?? false) ? "expired" : "active"
                let scopes = key.scopes.map(\.rawValue).sorted().joined(separator: ",")
                print("\(key.id.lowercased)  \(key.prefix)…  \(state.padding(toLength: 7, withPad: " ", startingAt: 0))  \(key.name)  \(scopes)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API key (a running server stops accepting it within a second).")

        @OptionGroup var database: DatabaseOptions

        @Option(help: "The key's id.")
        var id: String

        func run() async throws {
            guard let id = UUID(uuidString: self.id) else { throw ValidationError("--id must be a UUID") }
            let key = try await AdministrativeChange.run(self.database) { storage in
                try await APIKeyAdministration(keys: storage).revoke(id: id)
            } audit: {
                AdministrativeChange.Entry(
                    type: .apiKeyRevoked,
                    entityType: "api_key",
                    entityID: $0.id.lowercased,
                    details: ["name": .string($0.name)]
                )
            }
            print("Revoked API key '\(key.name)' (\(key.id.lowercased)).")
        }
    }
}
