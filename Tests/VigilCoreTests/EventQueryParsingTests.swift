import Foundation
import Testing
import VigilCore

@Suite struct EventQueryParsingTests {
    func parse(_ query: String) -> Result<EventQuery, ValidationFailure> {
        EventQuery.parse(QueryString.parse(query) ?? [])
    }

    @Test func parsesEveryFilter() throws {
        let query = try parse(
            "type=auth.*&type=AccountCreated&actor=alice&entity_type=acct&entity_id=1&source=sshd&location=Lagos"
                + "&ip=10.0.0.0%2F8&severity=HIGH&severity=critical&min_severity=medium&outcome=failure"
                + "&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&q=Bad+Password&details.port=22&order=ASC&limit=10"
        ).get()
        #expect(query.typePrefixes == ["auth."])
        #expect(query.types == ["AccountCreated"])
        #expect(query.actor == "alice")
        #expect(query.ipRange?.text == "10.0.0.0/8")
        #expect(query.severities == [.high, .critical])
        #expect(query.minSeverity == .medium)
        #expect(query.outcome == .failure)
        #expect(query.textTerms == ["bad", "password"])
        #expect(query.details == [.init(key: "port", value: "22")])
        #expect(query.order == .asc)
        #expect(query.limit == 10)
    }

    @Test(arguments: [
        ("bogus=1", "bogus"), ("limit=0", "limit"), ("limit=1001", "limit"), ("limit=x", "limit"),
        ("order=sideways", "order"), ("severity=urgent", "severity"), ("ip=10.0.0.0/99", "ip"),
        ("from=yesterday", "from"), ("cursor=abc", "cursor"), ("cursor=%27%3B+DROP+TABLE", "cursor"),
        ("actor=a&actor=b", "actor"), ("q=%21%21%21", "q"), ("details.a%20b=1", "details.a b"),
        ("type=auth.**", "type"), ("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to"),
    ])
    func rejectsBadParameters(query: String, field: String) {
        guard case .failure(let failure) = parse(query) else {
            Issue.record("accepted \(query)")
            return
        }
        #expect(failure.errors.map(\.field).contains(field))
    }

    @Test func cursorRoundTripsAndMustMatchOrder() throws {
        let cursor = EventCursor(occurredAt: Timestamp(microseconds: 123), id: UUID.v7(), order: .asc)
        #expect(EventCursor(token: cursor.token) == cursor)
        #expect(try parse("order=asc&cursor=\(cursor.token)").get().cursor == cursor)
        guard case .failure = parse("cursor=\(cursor.token)") else {
            Issue.record("an asc cursor was accepted for a desc query")
            return
        }
    }

    @Test func queryStringDecoding() {
        #expect(QueryString.parse("a=b%20c&d=e+f&g")?.map { "\($0.0)=\($0.1)" } == ["a=b c", "d=e f", "g="])
        #expect(QueryString.parse("a=%zz") == nil)
        #expect(QueryString.parse("a=%ff") == nil)
    }

    @Test func userScopeIsIntersected() {
        var query = EventQuery()
        query.actor = "bob"
        let scoped = Principal(userID: UUID(), username: "alice", role: .user).scoped(query)
        #expect(scoped.scopeActor == "alice")
        #expect(scoped.actor == "bob")
        #expect(Principal(userID: UUID(), username: "ann", role: .analyst).scoped(query).scopeActor == nil)
    }

    @Test func uuidV7Layout() {
        let id = UUID.v7(at: Timestamp(microseconds: 1_700_000_000_000_000))
        let text = id.lowercased
        #expect(text.hasPrefix("018bcfe5-6800-7"))
        #expect(["8", "9", "a", "b"].contains(text[text.index(text.startIndex, offsetBy: 19)]))
    }

    @Test func credentialRules() {
        #expect(Credentials.validate(username: "alice", password: "correct horse").isEmpty)
        #expect(Credentials.validate(username: "al", password: "correct horse").map(\.field) == ["username"])
        #expect(Credentials.validate(username: "al ice", password: "correct horse").map(\.field) == ["username"])
        #expect(Credentials.validate(username: "alice", password: "short").map(\.field) == ["password"])
        #expect(Credentials.validate(username: "alice12345", password: "ALICE12345").map(\.field) == ["password"])
    }
}

@Suite struct TextSearchTests {
    @Test func asciiAndUnicodeSplitAlike() {
        #expect(TextSearch.words(in: ["Auth.Login-FAILED x9", nil, "__a_b__"]) == ["auth", "login", "failed", "x9", "a", "b"])
        // The same words with one non-ASCII letter take the Character path and split the same way.
        #expect(TextSearch.words(in: ["Auth.Login-FAILED x9 é"]) == ["auth", "login", "failed", "x9", "é"])
        #expect(TextSearch.words(in: ["Ünïcode CAFÉ: naïve—résumé"]) == ["ünïcode", "café", "naïve", "résumé"])
        #expect(TextSearch.terms(in: String(repeating: "w ", count: 40)).count == 16)
    }
}
