import Foundation
import Logging
import Testing
import VigilCore
import VigilSQLite

/// A store under test: every port of `VigilCore` plus a way to dispose of it.
typealias ContractStore = EventStore & RefreshTokenStore & SettingsStore & UserStore

/// The engines the contract suite runs against. Every test runs once per backend; a behaviour
/// difference between them is a bug in one adapter.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqliteMemory
    case sqliteFile

    var testDescription: String { self.rawValue }

    /// Opens a fresh, empty, migrated store and runs `body` with it.
    func withStore(_ body: (any ContractStore) async throws -> Void) async throws {
        var logger = Logger(label: "vigil-test")
        logger.logLevel = .warning
        switch self {
        case .sqliteMemory:
            try await Self.run(try await SQLiteStore.open(.memory, logger: logger), body)
        case .sqliteFile:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            try await Self.run(try await SQLiteStore.open(.file(path: directory.appendingPathComponent("test.sqlite").path), logger: logger), body)
        }
    }

    /// Runs `body`, closing the store whether it succeeds or throws.
    private static func run(_ store: SQLiteStore, _ body: (any ContractStore) async throws -> Void) async throws {
        let result = await Result(catching: { try await body(store) })
        await store.close()
        try result.get()
    }
}
