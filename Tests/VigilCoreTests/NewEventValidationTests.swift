import Foundation
import Testing
import VigilCore

@Suite struct NewEventValidationTests {
    let now = Timestamp(rfc3339: "2026-06-01T12:00:00Z")!

    func json(_ text: String) throws -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    func errors(_ text: String) throws -> [FieldError] {
        switch NewEvent.validate(try self.json(text), now: self.now) {
        case .success: []
        case .failure(let failure): failure.errors
        }
    }

    @Test func acceptsFullEventAndNormalizes() throws {
        let value = try json(
            """
            {"id":"0190A0E1-0000-7000-8000-000000000001","type":"auth.login.failed","occurred_at":"2026-06-01T13:00:00+02:00",
             "severity":"HIGH","outcome":"Failure","actor":"alice","entity_type":"account","entity_id":"42","source":"sshd",
             "ip":"2001:DB8::1","location":"Lagos","description":"bad password","details":{"b":1,"a":[true,null,"x"]}}
            """
        )
        let event = try NewEvent.validate(value, now: now).get()
        #expect(event.clientID?.lowercased == "0190a0e1-0000-7000-8000-000000000001")
        #expect(event.severity == .high)
        #expect(event.outcome == .failure)
        #expect(event.occurredAt?.rfc3339 == "2026-06-01T11:00:00.000000Z")
        #expect(event.ip?.text == "2001:db8::1")
        #expect(event.details == #"{"a":[true,null,"x"],"b":1}"#)
    }

    @Test func onlyTypeIsRequiredAndDefaultsApply() throws {
        let event = try NewEvent.validate(try json(#"{"type":"AccountCreated"}"#), now: now).get()
        #expect(event.severity == .info)
        #expect(event.outcome == .unknown)
        #expect(event.occurredAt == nil)
        #expect(event.details == "{}")
        let prepared = event.prepared(receivedAt: now, ingestedBy: "user:x")
        #expect(prepared.event.occurredAt == now)
        #expect(!prepared.hasClientID)
    }

    @Test func namesEveryBadField() throws {
        let found = try errors(
            #"{"type":"bad type!","severity":"urgent","outcome":5,"ip":"999.1.1.1","details":[1],"id":"nope","extra":1,"occurred_at":"yesterday"}"#
        )
        #expect(Set(found.map(\.field)) == ["type", "severity", "outcome", "ip", "details", "id", "extra", "occurred_at"])
        #expect(found.first { $0.field == "extra" }?.message == "unknown field")
        #expect(found.first { $0.field == "outcome" }?.message == "must be a string, got number")
    }

    @Test func nulCharactersAreRejectedEverywhere() throws {
        let message = FieldReader.nulMessage
        #expect(try errors(#"{"type":"a","actor":"x\u0000y"}"#) == [FieldError(field: "actor", message: message)])
        #expect(try errors(#"{"type":"a","details":{"k":["ok","\u0000"]}}"#) == [FieldError(field: "details", message: message)])
        #expect(try errors(#"{"type":"a","details":{"k\u0000":1}}"#) == [FieldError(field: "details", message: message)])
        #expect(try errors(#"{"type":"a","description":"tab\tand \u00e9 are fine"}"#) == [])
    }

    @Test func typeIsRequired() throws {
        #expect(try errors(#"{"actor":"a"}"#) == [FieldError(field: "type", message: "is required")])
        #expect(try errors(#"{"type":null}"#) == [FieldError(field: "type", message: "is required")])
        #expect(try errors(#"{"type":""}"#).map(\.field) == ["type"])
        #expect(try errors(#"{"type":"\#(String(repeating: "a", count: 129))"}"#).map(\.field) == ["type"])
        #expect(try errors(#"{"type":"\#(String(repeating: "a", count: 128))"}"#).isEmpty)
    }

    @Test func rejectsNonObjects() throws {
        #expect(try errors("[1]").map(\.field) == [""])
        #expect(try errors(#""x""#).map(\.field) == [""])
    }

    @Test func futureTimesBeyondSkewAreRejected() throws {
        #expect(try errors(#"{"type":"t","occurred_at":"2026-06-01T12:04:59Z"}"#).isEmpty)
        #expect(try errors(#"{"type":"t","occurred_at":"2026-06-01T12:05:01Z"}"#).map(\.field) == ["occurred_at"])
    }

    @Test func lengthLimits() throws {
        let long = String(repeating: "é", count: 257)
        for field in ["actor", "entity_type", "entity_id", "source", "location"] {
            #expect(try errors(#"{"type":"t","\#(field)":"\#(long)"}"#).map(\.field) == [field])
        }
        #expect(try errors(#"{"type":"t","description":"\#(String(repeating: "d", count: 4097))"}"#).map(\.field) == ["description"])
        #expect(try errors(#"{"type":"t","description":"\#(String(repeating: "d", count: 4096))"}"#).isEmpty)
    }

    @Test func detailsSizeAndDepth() throws {
        let deep16 = String(repeating: #"{"a":"#, count: 16) + "1" + String(repeating: "}", count: 16)
        #expect(try errors(#"{"type":"t","details":\#(deep16)}"#).isEmpty)
        let deep17 = String(repeating: #"{"a":"#, count: 17) + "1" + String(repeating: "}", count: 17)
        #expect(try errors(#"{"type":"t","details":\#(deep17)}"#).map(\.field) == ["details"])
        let big = #"{"type":"t","details":{"k":"\#(String(repeating: "x", count: 33 * 1024))"}}"#
        #expect(try errors(big).map(\.field) == ["details"])
    }

    @Test func contentHashIgnoresKeyOrderButNotValues() throws {
        let a = try NewEvent.validate(try json(#"{"type":"t","details":{"a":1,"b":2}}"#), now: now).get()
        let b = try NewEvent.validate(try json(#"{"details":{"b":2,"a":1},"type":"t"}"#), now: now).get()
        let c = try NewEvent.validate(try json(#"{"type":"t","details":{"a":1,"b":3}}"#), now: now).get()
        #expect(a.contentHash == b.contentHash)
        #expect(a.contentHash != c.contentHash)
    }
}
