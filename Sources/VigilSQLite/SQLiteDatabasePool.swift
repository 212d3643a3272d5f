import Foundation
import Logging
import NIOCore
import SQLiteNIO
import Synchronization
import VigilCore

/// The SQLite connections of one process: exactly one writer, several readers.
///
/// Every write runs on the writer connection, serialized by a FIFO lock, so writers never spin
/// on `SQLITE_BUSY` against each other: either inside `BEGIN IMMEDIATE … COMMIT` (`write`) or,
/// for writes that are one statement, in autocommit (`withWriter`). In WAL mode readers run
/// concurrently with the writer and see only committed data. An in-memory database cannot be
/// shared between connections, so there the writer is also the only reader and reads take the
/// same lock (never observing a transaction in progress).
public final class SQLiteDatabasePool: Sendable {
    public struct Options: Sendable {
        /// `FULL` (default) fsyncs the WAL on every commit; `NORMAL` may lose the last commits on power loss.
        public var synchronousFull: Bool
        public var readerCount: Int

        public init(synchronousFull: Bool = true, readerCount: Int = 4) {
            self.synchronousFull = synchronousFull
            self.readerCount = readerCount
        }
    }

    let writer: SQLiteConnection
    let readers: [SQLiteConnection]
    let shareWriterForReads: Bool
    let writeLock = AsyncLock()
    let threadPool: NIOThreadPool
    let logger: Logger
    private let checkout: ReaderCheckout
    private let closed = Atomic<Bool>(false)

    private init(writer: SQLiteConnection, readers: [SQLiteConnection], threadPool: NIOThreadPool, logger: Logger) {
        self.writer = writer
        self.readers = readers
        self.shareWriterForReads = readers.isEmpty
        // One reader is always left to light reads.
        self.checkout = ReaderCheckout(readers: readers.count, reserved: 1)
        self.threadPool = threadPool
        self.logger = logger
    }

    public static func open(_ location: SQLiteLocation, options: Options = .init(), logger: Logger) async throws -> SQLiteDatabasePool {
        let readerCount = location == .memory ? 0 : max(1, options.readerCount)
        let threadPool = NIOThreadPool(numberOfThreads: readerCount + 1)
        threadPool.start()
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        let storage: SQLiteConnection.Storage
        switch location {
        case .memory: storage = .memory
        case .file(let path):
            try Self.restrictFileMode(path)
            storage = .file(path: path)
        }
        do {
            let writer = try await SQLiteConnection.open(storage: storage, threadPool: threadPool, logger: logger, on: eventLoop)
            if case .file = location {
                _ = try await writer.query("PRAGMA journal_mode=WAL")
            }
            _ = try await writer.query("PRAGMA synchronous=\(options.synchronousFull ? "FULL" : "NORMAL")")
            _ = try await writer.query("PRAGMA busy_timeout=10000")
            _ = try await writer.query("PRAGMA foreign_keys=ON")
            _ = try await writer.query("PRAGMA cache_size=-32000")
            // Multi-row INSERTs with triggers need a statement journal; keep it off the disk.
            _ = try await writer.query("PRAGMA temp_store=MEMORY")
            try await writer.install(customFunction: SQLiteWordMatch.function())
            var readers: [SQLiteConnection] = []
            for _ in 0..<readerCount {
                let reader = try await SQLiteConnection.open(storage: storage, threadPool: threadPool, logger: logger, on: eventLoop)
                _ = try await reader.query("PRAGMA busy_timeout=10000")
                _ = try await reader.query("PRAGMA query_only=1")
                _ = try await reader.query("PRAGMA cache_size=-8000")
                try await reader.install(customFunction: SQLiteWordMatch.function())
                readers.append(reader)
            }
            return SQLiteDatabasePool(writer: writer, readers: readers, threadPool: threadPool, logger: logger)
        } catch {
            try? await threadPool.shutdownGracefully()
            throw error
        }
    }

    /// Creates the database file readable by its owner only (0600), or takes group and other
    /// bits off an existing one: it holds the JWT secret and channel credentials. SQLite gives
    /// the `-wal` and `-shm` files the database file's mode.
    static func restrictFileMode(_ path: String) throws {
        let descriptor = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SQLiteFileError(path: path, reason: String(cString: strerror(errno))) }
        defer { Glibc.close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw SQLiteFileError(path: path, reason: String(cString: strerror(errno))) }
        if status.st_mode & 0o077 != 0, fchmod(descriptor, status.st_mode & 0o700) != 0 {
            throw SQLiteFileError(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Runs `body` in a write transaction; commits if it returns, rolls back if it throws.
    public func writeTransaction<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        try await self.writeLock.withLock {
            try self.ensureOpen()
            _ = try await self.writer.query("BEGIN IMMEDIATE")
            do {
                let value = try await body(self.writer)
                _ = try await self.writer.query("COMMIT")
                return value
            } catch {
                _ = try? await self.writer.query("ROLLBACK")
                throw error
            }
        }
    }

    /// Runs `body` on the writer connection with the write lock held but no transaction open:
    /// each statement `body` runs commits on its own (autocommit). For writes that are a single
    /// statement, this is one round trip to the database thread instead of three.
    public func writeAutocommit<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        try await self.writeLock.withLock {
            try self.ensureOpen()
            return try await body(self.writer)
        }
    }

    /// Runs `body` on a reader connection that no one else uses meanwhile. Use a single
    /// statement, or wrap several in `BEGIN … COMMIT` for one consistent snapshot. `heavy`
    /// reads (scans that can take seconds) never take the last idle reader.
    public func read<T: Sendable>(heavy: Bool = false, _ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        if self.shareWriterForReads {
            return try await self.writeLock.withLock {
                try self.ensureOpen()
                return try await body(self.writer)
            }
        }
        try self.ensureOpen()
        let index = await self.checkout.checkout(heavy: heavy)
        defer { self.checkout.checkin(index) }
        return try await body(self.readers[index])
    }

    /// Runs `body` in a read transaction on a reader (one snapshot for all its statements);
    /// commits if it returns, rolls back if it throws.
    public func readTransaction<T: Sendable>(heavy: Bool = false, _ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        try await self.read(heavy: heavy) { connection in
            _ = try await connection.query("BEGIN")
            do {
                let value = try await body(connection)
                _ = try await connection.query("COMMIT")
                return value
            } catch {
                _ = try? await connection.query("ROLLBACK")
                throw error
            }
        }
    }

    /// Closes every connection, then the thread pool. Runs to completion even when the caller
    /// is cancelled (e.g. a service group torn down), so no connection is left open.
    public func close() async {
        let connections = self.readers + [self.writer]
        let threadPool = self.threadPool
        await Task {
            // A write in progress finishes first; whoever queues behind us finds the pool
            // closed and fails with `unavailable` instead of waiting forever.
            await self.writeLock.lock()
            guard !self.closed.exchange(true, ordering: .acquiringAndReleasing) else {
                await self.writeLock.unlock()
                return
            }
            for connection in connections {
                try? await connection.close()
            }
            await self.writeLock.unlock()
            try? await threadPool.shutdownGracefully()
        }.value
    }

    private func ensureOpen() throws {
        if self.closed.load(ordering: .acquiring) { throw VigilError.unavailable(retryAfter: 1) }
    }
}

/// The database file could not be created or its mode restricted.
public struct SQLiteFileError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "Cannot secure the SQLite database file \(self.path): \(self.reason)." }
}
