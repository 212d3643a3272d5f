import Foundation
import Testing

@testable import VigilCore

/// The identity decisions both engines call: refresh rotation and the last-admin rule.
@Suite struct IdentityDecisionTests {
    let now = Timestamp(rfc3339: "2026-03-01T00:00:00Z")!

    @Test func refreshRotationDecidesFromTheStoredStateAlone() {
        let later = self.now.adding(seconds: 60)
        #expect(RefreshRotation.decide(expiresAt: later, used: false, revoked: false, now: self.now) == .rotate)
        #expect(RefreshRotation.decide(expiresAt: later, used: true, revoked: false, now: self.now) == .revokeFamily)
        // Revocation wins over reuse: the family is already dead, nothing more to revoke.
        #expect(RefreshRotation.decide(expiresAt: later, used: true, revoked: true, now: self.now) == .invalid)
        #expect(RefreshRotation.decide(expiresAt: later, used: false, revoked: true, now: self.now) == .invalid)
        // Expiry is exclusive: a token is dead at its expiry instant, used or not.
        #expect(RefreshRotation.decide(expiresAt: self.now, used: false, revoked: false, now: self.now) == .invalid)
        #expect(RefreshRotation.decide(expiresAt: self.now, used: true, revoked: false, now: self.now) == .invalid)
    }

    func user(_ role: Role, disabled: Bool = false) -> User {
        User(id: UUID.v7(), username: "u", passwordHash: "h", role: role, disabled: disabled, createdAt: self.now, updatedAt: self.now)
    }

    /// Whether the rule asked for the count, and whether it refused with `others` other admins.
    func check(before: User, after: User?, others: Int) async -> (counted: Bool, refused: Bool) {
        var counted = false
        do {
            try await UserChange.requireAnotherAdmin(before: before, after: after) {
                counted = true
                return others
            }
            return (counted, false)
        } catch VigilError.conflict(let code, _, _) where code == "last_admin" {
            return (counted, true)
        } catch {
            Issue.record("unexpected \(error)")
            return (counted, false)
        }
    }

    @Test func removingAnEnabledAdminNeedsAnother() async {
        let admin = self.user(.admin)
        for after in [self.user(.analyst), self.user(.admin, disabled: true), nil] {
            #expect(await self.check(before: admin, after: after, others: 0) == (true, true))
            #expect(await self.check(before: admin, after: after, others: 1) == (true, false))
        }
    }

    @Test func otherChangesNeverCountAdmins() async {
        let admin = self.user(.admin)
        #expect(await self.check(before: admin, after: admin, others: 0) == (false, false))
        #expect(await self.check(before: self.user(.admin, disabled: true), after: nil, others: 0) == (false, false))
        #expect(await self.check(before: self.user(.analyst), after: self.user(.admin), others: 0) == (false, false))
        #expect(await self.check(before: self.user(.user), after: nil, others: 0) == (false, false))
    }

    /// The README's audit table and `AuditEventType` name the same types.
    @Test func auditCatalogueMatchesTheReadme() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let start = try #require(text.range(of: "| type | severity | when |"))
        let table = text[start.upperBound...].split(separator: "\n\n", maxSplits: 1).first ?? ""
        var documented = Set<String>()
        for line in table.split(separator: "\n") where line.hasPrefix("| `") {
            let firstCell = line.dropFirst(2).prefix { $0 != "|" }
            for part in firstCell.split(separator: "`") where part.contains(".") { documented.insert(String(part)) }
        }
        #expect(documented == Set(AuditEventType.allCases.map(\.rawValue)))
    }
}
