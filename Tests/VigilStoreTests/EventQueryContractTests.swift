import Foundation
import Testing
import VigilCore

/// Every filter of `EventQuery`, on every backend, against one shared data set.
@Suite struct EventQueryContractTests {
    static let data: [PreparedEvent] = [
        Fixtures.event(
            "auth.login.failed",
            at: 0,
            severity: .medium,
            outcome: .failure,
            actor: "alice",
            source: "sshd",
            ip: "10.1.2.3",
            description: "Invalid password for alice",
            details: #"{"port":22,"tty":"pts/1","ok":false}"#
        ),
        Fixtures.event("auth.login.succeeded", at: 10, severity: .info, outcome: .success, actor: "alice", source: "sshd", ip: "10.1.2.3"),
        Fixtures.event("auth.logout", at: 20, actor: "bob", source: "web", ip: "192.168.1.9", details: #"{"port":"22"}"#),
        Fixtures.event(
            "AccountCreated",
            at: 30,
            severity: .low,
            actor: "bob",
            source: "web",
            ip: "2001:db8::5",
            description: "account created via signup",
            entityType: "account",
            entityID: "acct-9",
            location: "Berlin"
        ),
        Fixtures.event(
            "ids.alert",
            at: 40,
            severity: .critical,
            outcome: .unknown,
            source: "suricata",
            ip: "2001:db8:1::9",
            description: "ET SCAN nmap",
            details: #"{"sid":2000001,"nested":{"a":1},"source.ip":"203.0.113.5"}"#
        ),
        Fixtures.event(
            "authz.denied",
            at: 50,
            severity: .high,
            outcome: .failure,
            actor: "carol'; DROP TABLE events;--",
            source: "api",
            description: "password reset denied"
        ),
    ]

    func ids(_ store: any ContractStore, _ configure: (inout EventQuery) -> Void) async throws -> [String] {
        var query = EventQuery()
        query.order = .asc
        query.limit = 100
        configure(&query)
        return try await store.events(matching: query).items.map(\.type)
    }

    @Test(arguments: StoreBackend.available)
    func filters(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.write([Self.data])
            #expect(try await ids(store) { $0.types = ["auth.logout", "ids.alert"] } == ["auth.logout", "ids.alert"])
            #expect(try await ids(store) { $0.typePrefixes = ["auth."] } == ["auth.login.failed", "auth.login.succeeded", "auth.logout"])
            #expect(
                try await ids(store) {
                    $0.typePrefixes = ["auth.login."]
                    $0.types = ["AccountCreated"]
                }
                    == ["auth.login.failed", "auth.login.succeeded", "AccountCreated"]
            )
            #expect(try await ids(store) { $0.actor = "bob" } == ["auth.logout", "AccountCreated"])
            #expect(try await ids(store) { $0.actor = "carol'; DROP TABLE events;--" } == ["authz.denied"])
            #expect(
                try await ids(store) {
                    $0.actor = "alice"
                    $0.scopeActor = "bob"
                } == []
            )
            #expect(
                try await ids(store) {
                    $0.scopeActor = "alice"
                    $0.outcome = .success
                } == ["auth.login.succeeded"]
            )
            #expect(
                try await ids(store) {
                    $0.entityType = "account"
                    $0.entityID = "acct-9"
                } == ["AccountCreated"]
            )
            #expect(try await ids(store) { $0.source = "web" } == ["auth.logout", "AccountCreated"])
            #expect(try await ids(store) { $0.location = "Berlin" } == ["AccountCreated"])
            #expect(try await ids(store) { $0.ipRange = CIDRRange("10.0.0.0/8") } == ["auth.login.failed", "auth.login.succeeded"])
            #expect(try await ids(store) { $0.ipRange = CIDRRange("192.168.1.9") } == ["auth.logout"])
            // IPv4 is one range with its IPv4-mapped IPv6 form, on every engine.
            #expect(try await ids(store) { $0.ipRange = CIDRRange("::ffff:10.0.0.0/104") } == ["auth.login.failed", "auth.login.succeeded"])
            #expect(try await ids(store) { $0.ipRange = CIDRRange("2001:db8::/32") } == ["AccountCreated", "ids.alert"])
            #expect(try await ids(store) { $0.ipRange = CIDRRange("2001:db8:1::/48") } == ["ids.alert"])
            #expect(try await ids(store) { $0.severities = [.low, .critical] } == ["AccountCreated", "ids.alert"])
            #expect(try await ids(store) { $0.minSeverity = .high } == ["ids.alert", "authz.denied"])
            #expect(try await ids(store) { $0.outcome = .failure } == ["auth.login.failed", "authz.denied"])
            #expect(
                try await ids(store) {
                    $0.from = Fixtures.base.adding(seconds: 10)
                    $0.to = Fixtures.base.adding(seconds: 30)
                } == ["auth.login.succeeded", "auth.logout"]
            )
        }
    }

    @Test(arguments: StoreBackend.available)
    func fullTextAndDetails(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.write([Self.data])
            #expect(try await ids(store) { $0.textTerms = ["password"] } == ["auth.login.failed", "authz.denied"])
            #expect(try await ids(store) { $0.textTerms = ["password", "reset"] } == ["authz.denied"])
            #expect(try await ids(store) { $0.textTerms = ["suricata"] } == ["ids.alert"])
            #expect(try await ids(store) { $0.textTerms = ["alice"] } == ["auth.login.failed", "auth.login.succeeded"])
            #expect(try await ids(store) { $0.textTerms = ["acct"] } == ["AccountCreated"])
            #expect(try await ids(store) { $0.textTerms = ["logout"] } == ["auth.logout"])
            #expect(try await ids(store) { $0.textTerms = ["drop", "table"] } == ["authz.denied"])
            #expect(try await ids(store) { $0.textTerms = ["nothinglikethis"] } == [])
            #expect(try await ids(store) { $0.details = [.init(key: "port", value: "22")] } == ["auth.login.failed", "auth.logout"])
            #expect(try await ids(store) { $0.details = [.init(key: "tty", value: "pts/1")] } == ["auth.login.failed"])
            #expect(try await ids(store) { $0.details = [.init(key: "ok", value: "false")] } == ["auth.login.failed"])
            #expect(try await ids(store) { $0.details = [.init(key: "sid", value: "2000001")] } == ["ids.alert"])
            #expect(try await ids(store) { $0.details = [.init(key: "nested", value: "1")] } == [])
            // A dotted key names one flat key (as listeners store ECS names), never a path.
            #expect(try await ids(store) { $0.details = [.init(key: "source.ip", value: "203.0.113.5")] } == ["ids.alert"])
            #expect(try await ids(store) { $0.details = [.init(key: "nested.a", value: "1")] } == [])
            #expect(try await ids(store) { $0.details = [.init(key: "port", value: "22"), .init(key: "tty", value: "x")] } == [])
        }
    }

    @Test(arguments: StoreBackend.available)
    func awkwardTextSurvivesEveryEngine(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let actor = "back\\slash \"quoted\"\ttab\nnewline {brace},comma"
            let event = Fixtures.event("odd.text", actor: actor, source: "s'q", description: "Ünïcode CAFÉ: naïve—résumé 42x")
            _ = try await store.write([[event]])
            #expect(try await store.event(id: event.event.id) == event.event)
            #expect(try await ids(store) { $0.actor = actor } == ["odd.text"])
            #expect(try await ids(store) { $0.source = "s'q" } == ["odd.text"])
            #expect(try await ids(store) { $0.textTerms = TextSearch.terms(in: "café résumé") } == ["odd.text"])
            #expect(try await ids(store) { $0.textTerms = TextSearch.terms(in: "42X") } == ["odd.text"])
            #expect(try await ids(store) { $0.textTerms = ["back", "slash", "quoted"] } == ["odd.text"])
        }
    }

    @Test(arguments: StoreBackend.available)
    func keysetPaginationVisitsEveryRowOnce(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            // Several events share a timestamp so the id tie-break matters.
            let batch = (0..<57).map { Fixtures.event("page", at: Int64($0 / 4)) }
            _ = try await store.write([batch])
            for order in [EventQuery.Order.asc, .desc] {
                var query = EventQuery()
                query.order = order
                query.limit = 10
                var seen: [UUID] = []
                var pages = 0
                repeat {
                    let page = try await store.events(matching: query)
                    seen += page.items.map(\.id)
                    query.cursor = page.nextCursor
                    pages += 1
                } while query.cursor != nil && pages < 20
                #expect(seen.count == 57)
                #expect(Set(seen).count == 57)
                let expected = batch.map(\.event).sorted {
                    ($0.occurredAt, $0.id.lowercased) < ($1.occurredAt, $1.id.lowercased)
                }.map(\.id)
                #expect(seen == (order == .asc ? expected : expected.reversed()))
                #expect(pages == 6)
            }
        }
    }
}
