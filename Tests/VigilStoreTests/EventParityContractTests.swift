import Foundation
import Testing
import VigilCore

/// One corpus of awkward events, validated once and stored on every engine: what validation
/// accepts, each engine stores and returns byte for byte; what it refuses, no engine sees.
@Suite struct EventParityContractTests {
    static let longWord = String(repeating: "a", count: 2100)
    static let combining = "a" + String(repeating: "\u{0301}", count: 120)

    /// (JSON body, accepted?)
    static let corpus: [(String, Bool)] = [
        (#"{"type":"t","description":"\#(longWord)"}"#, true),
        (#"{"type":"t","actor":"\#(String(repeating: "w", count: 256))","source":"\#(String(repeating: "s", count: 256))"}"#, true),
        (#"{"type":"t","actor":"\#(String(repeating: "w", count: 257))"}"#, false),
        (#"{"type":"t","description":"\#(String(repeating: "é", count: 2048))"}"#, true),
        (#"{"type":"t","description":"\#(String(repeating: "é", count: 2049))"}"#, false),
        (#"{"type":"t","actor":"\#(combining)"}"#, true),
        (#"{"type":"t","actor":"\#(combining)\#(combining)\#(combining)"}"#, false),
        (#"{"type":"t","occurred_at":"0001-01-01T00:00:00Z"}"#, true),
        (#"{"type":"t","occurred_at":"0000-06-01T00:00:00Z"}"#, false),
        (#"{"type":"t","occurred_at":"0001-01-01T00:30:00+01:00"}"#, false),
        (#"{"type":"t","occurred_at":"1969-12-31T23:59:59.999999Z"}"#, true),
        (#"{"type":"t","description":"nul \u0000 here"}"#, false),
        (#"{"type":"t","details":{"k":"nul \u0000"}}"#, false),
        (#"{"type":"t","actor":"👩‍👩‍👧‍👦 family","description":"emoji 🛡️ and ZWJ"}"#, true),
        (#"{"type":"t","actor":"مستخدم","description":"שלום עולם \u202Eevil\u202C rtl"}"#, true),
        (#"{"type":"t","description":"tab\there\nnewline \\ backslash \"quote\" '"}"#, true),
        (#"{"type":"t","details":\#(String(repeating: #"{"a":"#, count: 15))1\#(String(repeating: "}", count: 15))}"#, true),
        (#"{"type":"t","details":\#(String(repeating: #"{"a":"#, count: 17))1\#(String(repeating: "}", count: 17))}"#, false),
        (#"{"type":"t","details":{"big":1e308,"neg":-0.0,"int":9223372036854775807,"u":"\ud83d\ude00"}}"#, true),
        (#"{"type":"t","ip":"::ffff:192.0.2.1","location":"Zürich"}"#, true),
        (
            #"{"type":"t","entity_id":"\#(String(repeating: "9", count: 256))","description":"\#(longWord) \#(String(repeating: "b", count: 1900))"}"#,
            true
        ),
    ]

    @Test(arguments: StoreBackend.available)
    func everyEngineStoresExactlyWhatValidationAccepts(backend: StoreBackend) async throws {
        let now = Timestamp.now()
        try await backend.withStore { (store: any ContractStore) async throws in
            for (index, (body, expected)) in Self.corpus.enumerated() {
                let value = try JSONParser.parse(Array(body.utf8)) as JSONValue
                let validated = NewEvent.validate(value, now: now)
                guard case .success(let event) = validated else {
                    #expect(!expected, "case \(index) was refused: \(validated)")
                    continue
                }
                #expect(expected, "case \(index) was accepted")
                let prepared = event.prepared(receivedAt: now, ingestedBy: "user:test")
                let results = try await store.write([[prepared]])
                #expect(results == [.committed([.created(prepared.event)])], "case \(index)")
                let stored = try #require(try await store.event(id: prepared.event.id))
                #expect(stored.json == prepared.event.json, "case \(index) came back changed")
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func longWordsAreStoredButNotIndexed(backend: StoreBackend) async throws {
        try await backend.withStore { (store: any ContractStore) async throws in
            let item = Fixtures.event("t", description: "needle \(Self.longWord)")
            #expect(try await store.write([[item]]) == [.committed([.created(item.event)])])
            var query = EventQuery()
            query.textTerms = ["needle"]
            #expect(try await store.events(matching: query).items.map(\.id) == [item.event.id])
        }
    }
}
