import Foundation
import Logging
import Testing
import VigilCore
import VigilSQLite

@Suite struct SQLitePoolTests {
    /// Work that arrives after the database closed fails at once instead of waiting forever
    /// on the write lock (in memory mode reads take that lock too).
    @Test(arguments: [
        SQLiteLocation.memory, .file(path: FileManager.default.temporaryDirectory.appendingPathComponent("pool-\(UUID()).sqlite").path),
    ])
    func useAfterCloseIsUnavailable(location: SQLiteLocation) async throws {
        let store = try await SQLiteStore.open(location, logger: Logger(label: "test"))
        await store.close()
        await store.close()  // closing twice is harmless
        await #expect(throws: VigilError.unavailable(retryAfter: 1)) { _ = try await store.event(id: UUID()) }
        await #expect(throws: VigilError.unavailable(retryAfter: 1)) { _ = try await store.write([[Fixtures.event("late")]]) }
        await #expect(throws: VigilError.unavailable(retryAfter: 1)) { try await store.createUser(Fixtures.user("late")) }
        if case .file(let path) = location {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }
}
