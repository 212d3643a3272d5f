import Foundation
import Logging
import Testing
import VigilCore
import VigilPostgres
import VigilSQLite
import VigilTestSupport

/// A store under test: every port of `VigilCore` plus a way to dispose of it.
typealias ContractStore = StoragePorts

/// The engines the contract suite runs against. Every test runs once per backend; a behaviour
/// difference between them is a bug in one adapter.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqliteMemory
    case sqliteFile
    case postgres

    var testDescription: String { self.rawValue }

    /// The backends to test here: PostgreSQL only when `VIGIL_TEST_POSTGRES_URL` is set (the
    /// run prints a notice otherwise; `.ci/run` always sets it).
    static var available: [StoreBackend] {
        ScratchPostgres.isConfigured ? allCases : [.sqliteMemory, .sqliteFile]
    }

    static var logger: Logger {
        var logger = Logger(label: "vigil-test")
        logger.logLevel = .warning
        return logger
    }

    /// Opens a fresh, empty, migrated store and runs `body` with it.
    func withStore(_ body: (any ContractStore) async throws -> Void) async throws {
        switch self {
        case .sqliteMemory:
            try await Self.run(try await SQLiteStore.open(.memory, logger: Self.logger), close: { await $0.close() }, body)
        case .sqliteFile:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try await SQLiteStore.open(.file(path: directory.appendingPathComponent("test.sqlite").path), logger: Self.logger)
            try await Self.run(store, close: { await $0.close() }, body)
        case .postgres:
            // The contract is behaviour, not speed: the whole suite shares one cluster with the
            // HTTP suites, and on a loaded CI host 21 transactions serialised on one advisory
            // lock once took longer than the 5 s production timeout (503, as designed).
            try await Self.withPostgresStore(options: .init(timeout: .seconds(30))) { store in try await body(store) }
        }
    }

    /// A migrated PostgreSQL store on a scratch database.
    static func withPostgresStore(
        options: PostgresStore.Options = .init(),
        _ body: (PostgresStore) async throws -> Void
    ) async throws {
        try await ScratchPostgres.withDatabase { url in
            guard let location = try PostgresLocation(url: url) else { throw VigilError.unavailable(retryAfter: 1) }
            let store = try await PostgresStore.open(location, options: options, logger: Self.logger)
            try await Self.run(store, close: { await $0.close() }, body)
        }
    }

    /// Runs `body`, closing the store whether it succeeds or throws.
    private static func run<Store: Sendable>(
        _ store: Store,
        close: (Store) async -> Void,
        _ body: (Store) async throws -> Void
    ) async throws {
        let result = await Result(catching: { try await body(store) })
        if case .failure(let error) = result { Issue.record("store test failed: \(String(reflecting: error))") }
        await close(store)
        try result.get()
    }
}
