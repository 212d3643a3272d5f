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

    @Option(name: .customLong("export"), help: "Check a verifiable export (format=ndjson&proofs=true) instead, with no database.")
    var export: String?

    func run() async throws {
        if let path = self.export {
            try self.verifyExport(path)
            return
        }
        var trusted = try self.trustedKeys()
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

    private func trustedKeys() throws -> [(name: String, publicKey: [UInt8])] {
        try self.keys.map { text in
            guard let key = LedgerKey.parseVerifierKey(text) else { throw ValidationError("--key \(text) is not a verifier key (name+hash+base64)") }
            return key
        }
    }

    /// Checks every line of an export bundle, reading it a megabyte at a time.
    private func verifyExport(_ path: String) throws {
        guard let file = FileHandle(forReadingAtPath: path) else { throw ValidationError("cannot read \(path)") }
        defer { try? file.close() }
        let trusted = try self.trustedKeys()
        var verifier = BundleVerifier(trustedKeys: trusted)
        var pending: [UInt8] = []
        var sawHeader = false
        func handle(_ line: [UInt8]) throws {
            guard !line.isEmpty else { return }
            let text = Substring(String(decoding: line, as: UTF8.self))
            if sawHeader {
                verifier.check(text)
            } else {
                sawHeader = true
                do { try verifier.header(text) } catch { throw ExportFailure(message: error.description) }
            }
        }
        do {
            while let chunk = try file.read(upToCount: 1 << 20), !chunk.isEmpty {
                pending += chunk
                while let newline = pending.firstIndex(of: 0x0A) {
                    try handle(Array(pending[..<newline]))
                    pending.removeSubrange(...newline)
                }
            }
            try handle(pending)
        } catch let failure as ExportFailure {
            print(failure.message)
            throw ExitCode(trusted.isEmpty || failure.message.contains("header") ? 1 : 2)
        }
        if trusted.isEmpty { print("note: trusting the keys the bundle lists; pass --key with a key you hold") }
        let size = verifier.checkpoint.map { "\($0.size)" } ?? "-"
        print(
            "checkpoint size \(size): \(verifier.proven) events proven, \(verifier.unsealed) not sealed when exported, \(verifier.failures.count) failed"
        )
        for failure in verifier.failures { print(failure) }
        if !verifier.failures.isEmpty { throw ExitCode(1) }
        print("ok")
    }

    private struct ExportFailure: Error {
        let message: String
    }
}
