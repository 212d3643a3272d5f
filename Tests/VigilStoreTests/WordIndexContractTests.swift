import Foundation
import SQLiteNIO
import Testing
import VigilCore
import VigilSQLite

/// Full text read newest (or oldest) first while the words of the log are indexed a step at a
/// time. On SQLite, search reads the word index up to its position and matches the events
/// after it row by row: every page must be exactly what a brute-force match says, whatever the
/// index's lag, across time buckets, chunks and runs of equal instants. PostgreSQL has no such
/// index (its tsvector is written with the row), so there the same queries check plain parity.
@Suite struct WordIndexContractTests {
    static let words = ["alpha", "beta", "gamma", "delta", "kappa"]

    /// 420 events over about 40 hours, several at each instant; "alpha" in about half,
    /// "kappa" in five, "beta gamma" together in some.
    static let events: [PreparedEvent] = (0..<420).map { index in
        let offset = Int64(index / 3) * 1_187 - 30 * 3_600  // 3 events per instant, some before the base
        var text: [String] = []
        if index % 2 == 0 { text.append("alpha") }
        if index % 5 == 0 { text.append("beta") }
        if index % 7 == 0 { text.append("gamma") }
        if index % 3 == 1 { text.append("delta") }
        if index % 97 == 13 { text.append("kappa") }
        if index % 11 == 3 { text.append("Café-résumé #\u{FE0F}\u{20E3}x 1\u{FE0F}\u{20E3}") }
        return Fixtures.event(
            index % 4 == 0 ? "auth.login.failed" : "net.conn",
            at: offset,
            actor: "user-\(index % 6)",
            description: text.joined(separator: " ") + " #\(index)"
        )
    }

    static func expected(_ query: EventQuery) -> [UUID] {
        Fixtures.expected(query, among: events)
    }

    static var queries: [EventQuery] {
        var result: [EventQuery] = []
        for order in [EventQuery.Order.desc, .asc] {
            for terms in [
                ["alpha"], ["kappa"], ["beta", "gamma"], ["gamma", "beta", "alpha"], ["failed"], ["nowhere"], TextSearch.terms(in: "RÉSUMÉ café"),
                TextSearch.terms(in: "#\u{FE0F}\u{20E3}x alpha"),
            ] {
                var query = EventQuery()
                (query.order, query.textTerms, query.limit) = (order, terms, 9)
                result.append(query)
            }
            var ranged = EventQuery()
            (ranged.order, ranged.textTerms, ranged.limit) = (order, ["alpha"], 11)
            (ranged.from, ranged.to) = (Fixtures.base.adding(seconds: -20_000), Fixtures.base.adding(seconds: 40_000))
            result.append(ranged)
            var filtered = EventQuery()
            (filtered.order, filtered.textTerms, filtered.actor, filtered.limit) = (order, ["delta"], "user-4", 5)
            result.append(filtered)
        }
        return result
    }

    static func expectExact(_ store: any ContractStore, _ note: String) async throws {
        for query in queries {
            #expect(try await Fixtures.allPages(store, query) == expected(query), "\(query.textTerms) \(query.order) \(note)")
        }
    }

    @Test(arguments: StoreBackend.available)
    func pagesAreExactAtEveryIndexingLag(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.write([Array(Self.events[..<300]), Array(Self.events[300...])])
            guard let sqlite = store as? SQLiteStore else {
                try await Self.expectExact(store, "postgres")
                return
            }
            try await Self.expectExact(store, "nothing indexed")
            for step in [1, 60, 139, 97, 500] {
                _ = try await sqlite.indexWords(limit: step)
                let progress = try await sqlite.wordIndexProgress()
                try await Self.expectExact(store, "indexed to \(progress.indexed) of \(progress.newest)")
            }
            #expect(try await sqlite.wordIndexProgress() == (indexed: 420, newest: 420))
            #expect(try await sqlite.indexWords(limit: 100) == 0)
            // Events after the index's position join it in the same hours.
            let late = (0..<30).map { Fixtures.event("late", at: Int64($0) * 600, description: "alpha kappa late \($0)") }
            _ = try await store.write([late])
            let newest = try await store.events(matching: Self.query(["kappa", "late"], limit: 50))
            #expect(newest.items.map(\.id) == late.map(\.event.id).reversed())
            _ = try await sqlite.indexWords(limit: 17)
            #expect(try await store.events(matching: Self.query(["kappa", "late"], limit: 50)).items.map(\.id) == late.map(\.event.id).reversed())
        }
    }

    /// A step that fails after writing its words (here: a trigger refusing the position's
    /// update, as a crash or a full disk would stop it) leaves neither words nor a moved
    /// position behind, and the retried step indexes every event once.
    @Test(arguments: [StoreBackend.sqliteMemory, .sqliteFile])
    func aFailedStepLeavesNothingBehind(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let sqlite = try #require(store as? SQLiteStore)
            _ = try await store.write([Self.events])
            _ = try await sqlite.indexWords(limit: 100)
            let before = try await Self.wordRows(sqlite)
            #expect(before.count == 100)
            _ = try await sqlite.pool.writeTransaction {
                try await $0.query(
                    "CREATE TRIGGER refuse_words BEFORE UPDATE ON rollup_state WHEN new.name = 'words' BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            }
            await #expect(throws: (any Error).self) { _ = try await sqlite.indexWords(limit: 400) }
            #expect(try await sqlite.wordIndexProgress().indexed == 100)
            #expect(try await Self.wordRows(sqlite) == before)
            try await Self.expectExact(store, "after a failed step")
            _ = try await sqlite.pool.writeTransaction { try await $0.query("DROP TRIGGER refuse_words") }
            #expect(try await sqlite.indexWords(limit: 1000) == 320)
            #expect(try await Self.wordRows(sqlite).count == 420)
            try await Self.expectExact(store, "after the step was retried")
        }
    }

    /// An event whose seq needs more than 32 bits stops the index before it; search goes on
    /// matching it (and everything after) row by row.
    @Test(arguments: [StoreBackend.sqliteMemory])
    func seqsBeyondTheIndexStaySearchable(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let sqlite = try #require(store as? SQLiteStore)
            _ = try await store.write([Self.events])
            _ = try await sqlite.pool.writeTransaction { try await $0.query("UPDATE events SET seq = seq + 4294967000 WHERE seq > 300") }
            await #expect(throws: WordIndexFull.self) { _ = try await sqlite.indexWords(limit: 1000) }
            #expect(try await sqlite.indexWords(limit: 296) == 296)
            await #expect(throws: WordIndexFull.self) { _ = try await sqlite.indexWords(limit: 1000) }
            try await Self.expectExact(store, "index stopped at 2^32")
        }
    }

    /// Retention takes a deleted event's words out of the index in the same transaction, so
    /// the index does not grow with what the log no longer holds.
    @Test(arguments: [StoreBackend.sqliteMemory, .sqliteFile])
    func deletedEventsLeaveTheIndex(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let sqlite = try #require(store as? SQLiteStore)
            _ = try await store.write([Self.events])
            _ = try await sqlite.indexWords(limit: 300)
            let doomed = Self.events.enumerated().filter { $0.offset % 3 == 0 }.map(\.element.event.id)
            let record = Fixtures.event("retention.deleted", at: 99_999, description: "alpha record")
            #expect(try await store.deleteEvents(doomed, record: record) == doomed.count)
            // 100 of the deleted events were indexed (seqs 1…300); the other 40 were not yet.
            #expect(try await Self.wordRows(sqlite).count == 300 - 100)
            _ = try await sqlite.indexWords(limit: 1000)
            #expect(try await Self.wordRows(sqlite).count == 420 - doomed.count + 1)
            for order in [EventQuery.Order.desc, .asc] {
                var query = Self.query(["alpha"], limit: 13)
                query.order = order
                let kept = Self.expected(query).filter { !doomed.contains($0) }
                let recordFirst = order == .desc ? [record.event.id] + kept : kept + [record.event.id]
                #expect(try await Fixtures.allPages(store, query) == recordFirst)
            }
        }
    }

    static func query(_ terms: [String], limit: Int) -> EventQuery {
        var query = EventQuery()
        (query.textTerms, query.limit) = (terms, limit)
        return query
    }

    static func wordRows(_ store: SQLiteStore) async throws -> [Int64] {
        try await store.pool.read { connection in
            try await connection.query("SELECT rowid FROM event_words ORDER BY rowid").map { Int64($0.column("rowid")?.integer ?? 0) }
        }
    }
}
