import Foundation
import Glibc
import Logging
import Metrics
import SQLiteNIO
import ServiceLifecycle
import VigilCore

extension SQLiteStore: StorageEngine {
    /// `sqlite:///abs/path.sqlite` or `sqlite::memory:`; nil for any other URL.
    public static func open(url: String, options: StorageOptions, migrate: Bool, logger: Logger) async throws -> SQLiteStore? {
        guard let location = SQLiteLocation(url: url) else { return nil }
        return try await Self.open(location, options: .init(synchronousFull: options.sqliteSynchronousFull), migrate: migrate, logger: logger)
    }

    public var engineDescription: String { "sqlite" }

    public var preferredBatchEvents: Int { Self.rowsPerInsert }

    // One writer connection: a second commit would only wait for the first.
    public var concurrentCommits: Int { 1 }

    /// `VACUUM INTO`: one read transaction's snapshot of the file, so the copy is consistent (and
    /// compact) and the server's writers go on meanwhile (WAL). It runs on this process's writer
    /// connection because the readers are `query_only`; `vigil backup` is its own process.
    /// Refuses an existing file.
    public func backup(to path: String) async throws {
        // The copy holds the JWT secret and channel credentials, like the database itself: it is
        // created empty with mode 0600 first (VACUUM INTO accepts an empty file and keeps its
        // mode), in one step that refuses an existing file or symbolic link, so nothing can be
        // planted between a check and the write.
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "exists; a backup never overwrites a file" : String(cString: strerror(errno))
            throw StartupError("\(path): \(reason)")
        }
        Glibc.close(descriptor)
        do {
            _ = try await self.pool.writeAutocommit { try await $0.query("VACUUM INTO ?", [.text(path)]) }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    /// The exclusive work, and the word indexer (full text's index, kept by following the log).
    /// One process owns a SQLite file, so there is nothing to elect: all of it runs here.
    public func backgroundServices(exclusive: [ExclusiveWork], metrics: any MetricsFactory) -> [any Service] {
        let indexer = StepFollower(
            name: "word index",
            configuration: Self.wordIndexing,
            counterLabel: "vigil_word_index_events_total",
            logger: self.logger,
            metrics: metrics
        ) { [self] limit in
            try await self.indexWords(limit: limit)
        }
        return (exclusive + [ExclusiveWork(name: "word index") { await indexer.follow() }]).map(ExclusiveWorkService.init)
    }

    /// A short idle pause: events the indexer has not reached are matched row by row.
    static let wordIndexing = StepFollower.Configuration(batchSize: 5000, idleInterval: .milliseconds(200))
}
