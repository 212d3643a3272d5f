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
    private let nextReader = Atomic<Int>(0)
    private let closed = Atomic<Bool>(false)

    private init(writer: SQLiteConnection, readers: [SQLiteConnection], threadPool: NIOThreadPool, logger: Logger) {
        self.writer = writer
        self.readers = readers
        self.shareWriterForReads = readers.isEmpty
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
        case .file(let path): storage = .file(path: path)
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
            var readers: [SQLiteConnection] = []
            for _ in 0..<readerCount {
                let reader = try await SQLiteConnection.open(storage: storage, threadPool: threadPool, logger: logger, on: eventLoop)
                _ = try await reader.query("PRAGMA busy_timeout=10000")
                _ = try await reader.query("PRAGMA query_only=1")
                _ = try await reader.query("PRAGMA cache_size=-8000")
                readers.append(reader)
            }
            return SQLiteDatabasePool(writer: writer, readers: readers, threadPool: threadPool, logger: logger)
        } catch {
            try? await threadPool.shutdownGracefully()
            throw error
        }
    }

    /// Runs `body` in a write transaction; commits if it returns, rolls back if it throws.
    public func write<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
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
    public func withWriter<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        try await self.writeLock.withLock {
            try self.ensureOpen()
            return try await body(self.writer)
        }
    }

    /// Runs `body` on a reader connection. Use a single statement, or wrap several in
    /// `BEGIN … COMMIT` yourself for one consistent snapshot.
    public func read<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        if self.shareWriterForReads {
            return try await self.writeLock.withLock {
                try self.ensureOpen()
                return try await body(self.writer)
            }
        }
        try self.ensureOpen()
        let index = self.nextReader.wrappingAdd(1, ordering: .relaxed).newValue & Int.max
        return try await body(self.readers[index % self.readers.count])
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
