import ArgumentParser
import Foundation
import VigilCore
import VigilHTTP

/// `vigil verify`: rebuilds the Merkle tree from the events in the database and checks it
/// against the signed checkpoints. Exit 0: everything sealed verifies; 1: a finding; 2: nothing
/// could be checked (no trusted key, no key verifies the head).
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that no sealed event was modified, deleted, inserted or reordered (reads only)."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("key"), help: "A verifier key to trust (repeatable; default: the keys the database publishes).")
    var keys: [String] = []

    @Option(name: .customLong("checkpoint"), help: "A file holding a checkpoint obtained earlier, to hold the database to (repeatable).")
    var checkpoints: [String] = []

    func run() async throws {
        var trusted = try self.keys.map { text in
            guard let key = LedgerKey.parseVerifierKey(text) else { throw ValidationError("--key \(text) is not a verifier key (name+hash+base64)") }
            return key
        }
        let given = try self.checkpoints.map { path in
            guard let note = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read \(path)") }
            return note
        }
        let fromDatabase = trusted.isEmpty
        let report = try await self.database.withStorage(migrate: false) { storage in
            if fromDatabase { trusted = try await storage.ledgerKeys().map { ($0.name, $0.publicKey) } }
            return try await LedgerAudit(store: storage, trustedKeys: trusted, givenCheckpoints: given).run()
        }
        if fromDatabase {
            print("note: trusting the keys the database publishes; pass --key with a key you hold to not trust the database")
        }
        print(
            "origin \(report.origin ?? "-"): \(report.treeSize) sealed, \(report.verified) verified, \(report.pruned) removed by retention, \(report.checkpoints) signed roots matched, \(report.unsealed) not sealed yet"
        )
        for finding in report.findings { print(finding) }
        // No checkpoint verified and nothing else found: the wrong key, not a forged log.
        let onlyUnsigned = report.findings.allSatisfy { if case .unsigned = $0 { true } else { false } }
        if report.treeSize > 0 && report.checkpoints == 0 && onlyUnsigned {
            print("no signed checkpoint could be checked with the trusted keys")
            throw ExitCode(2)
        }
        if !report.findings.isEmpty { throw ExitCode(1) }
        print("ok")
    }
}
