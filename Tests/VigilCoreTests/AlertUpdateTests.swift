import Foundation
import Testing
import VigilCore

@Suite struct AlertUpdateTests {
    static func alert(_ status: AlertStatus) -> Alert {
        let time = DetectionTests.base
        return Alert(
            id: UUID.v7(),
            ruleID: UUID.v7(),
            ruleName: "r",
            title: "t",
            severity: .high,
            status: status,
            groupKey: "g",
            count: 1,
            firstSeen: time,
            lastSeen: time,
            createdAt: time,
            updatedAt: time
        )
    }

    /// Every (from, to) pair, with and without a note, against the lifecycle table.
    @Test(arguments: AlertStatus.allCases)
    func everyTransitionFromHere(_ from: AlertStatus) throws {
        let allowed: [AlertStatus: Set<AlertStatus>] = [
            .open: [.acknowledged, .resolved, .dismissed],
            .acknowledged: [.resolved, .dismissed],
            .resolved: [.open],
            .dismissed: [.open],
        ]
        for to in AlertStatus.allCases {
            for note in [nil, "because"] as [String?] {
                let update = AlertUpdate(status: to, note: note)
                let legal = allowed[from]!.contains(to) && !(to == .open && note == nil)
                if legal {
                    let (after, entry) = try update.apply(to: Self.alert(from), by: "admin", at: DetectionTests.base.adding(seconds: 5))
                    #expect(after.status == to)
                    #expect(
                        entry
                            == AlertHistoryEntry(
                                at: DetectionTests.base.adding(seconds: 5),
                                by: "admin",
                                from: from,
                                to: to,
                                assignee: nil,
                                note: note
                            )
                    )
                } else if from == to && note != nil {
                    // Same status plus a note: a note-only change, recorded, status unchanged.
                    let (after, entry) = try update.apply(to: Self.alert(from), by: "admin", at: DetectionTests.base)
                    #expect(after.status == from && entry.note == note)
                } else {
                    #expect(throws: VigilError.self, "\(from) → \(to) note: \(note ?? "-")") {
                        try update.apply(to: Self.alert(from), by: "admin", at: DetectionTests.base)
                    }
                }
            }
        }
    }

    @Test func patchBodiesAreValidated() {
        #expect(AlertUpdate.validate(.object(["status": .string("RESOLVED")])) == .success(AlertUpdate(status: .resolved)))
        #expect(AlertUpdate.validate(.object(["assignee": .null])) == .success(AlertUpdate(assignee: .set(nil))))
        #expect(AlertUpdate.validate(.object(["note": .string("  hi  ")])) == .success(AlertUpdate(note: "hi")))
        guard case .failure(let failure) = AlertUpdate.validate(.object(["status": .string("closed"), "assignee": .int(3), "x": .bool(true)])) else {
            Issue.record("accepted a bad body")
            return
        }
        #expect(Set(failure.errors.map(\.field)) == ["status", "assignee", "x"])
        guard case .failure(let empty) = AlertUpdate.validate(.object([:])) else {
            Issue.record("accepted an empty update")
            return
        }
        #expect(empty.errors.count == 1)
    }

    @Test func queriesParseAndRejectNamedFields() throws {
        let query = try AlertQuery.parse([("status", "Open"), ("status", "acknowledged,resolved"), ("min_severity", "high"), ("q", "ssh")]).get()
        #expect(query.statuses == [.open, .acknowledged, .resolved])
        #expect(query.minSeverity == .high && query.text == "ssh")
        guard case .failure(let failure) = AlertQuery.parse([("status", "closed"), ("limit", "0"), ("cursor", "x"), ("rule_id", "no"), ("zzz", "1")])
        else {
            Issue.record("accepted bad parameters")
            return
        }
        #expect(failure.errors.map(\.field) == ["status", "limit", "cursor", "rule_id", "zzz"])
        let cursor = AlertCursor(createdAt: DetectionTests.base, id: UUID.v7(), order: .asc)
        #expect(AlertCursor(token: cursor.token) == cursor)
        #expect(EventCursor(token: cursor.token) == nil, "an alert cursor is not an event cursor")
    }
}
