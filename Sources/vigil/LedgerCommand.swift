import ArgumentParser
import Crypto
import Foundation
import VigilCore
import VigilHTTP

struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Manage the key that signs the tamper-evident log's checkpoints.",
        subcommands: [Keygen.self, RotateKey.self]
    )

    struct Keygen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new Ed25519 signing key for VIGIL_LEDGER_KEY_FILE and print its verifier key."
        )

        @Option(help: "The new key file (mode 0600; an existing file is never overwritten).")
        var output: String

        @Option(help: "The log's origin, which names the key (VIGIL_LEDGER_ORIGIN).")
        var origin = LedgerSettings().origin

        func run() throws {
            let key = LedgerKey(name: self.origin)
            let text = key.privateKey.rawRepresentation.base64EncodedString() + "\n"
            let descriptor = open(self.output, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard descriptor >= 0 else { throw ValidationError("cannot create \(self.output): \(String(cString: strerror(errno)))") }
            defer { close(descriptor) }
            let written = text.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, text.utf8.count) }
            guard written == text.utf8.count else { throw ValidationError("cannot write \(self.output)") }
            print("Wrote \(self.output). Verifier key (publish it; `vigil verify --key` takes it):")
            print(key.verifierKey)
        }
    }

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract:
                "Replace the database-kept signing key; the old public key stays published (not for VIGIL_LEDGER_KEY_FILE keys: replace the file)."
        )

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let rotated = try await AdministrativeChange.run(self.database) { storage -> (LedgerKey, [String]) in
                let origin = try await storage.ledgerState()?.origin ?? LedgerSettings().origin
                let retired = try await storage.ledgerKeys().filter { $0.retiredAt == nil }.map(\.keyID)
                return (try await LedgerSigner.rotate(origin: origin, store: storage), retired)
            } audit: { key, retired in
                AdministrativeChange.Entry(
                    type: .ledgerKeyRotated,
                    entityType: "ledger_key",
                    entityID: LedgerSigner.keyID(key),
                    details: ["key_id": .string(LedgerSigner.keyID(key)), "retired": .array(retired.map(JSONValue.string))]
                )
            }
            print("New checkpoint key \(LedgerSigner.keyID(rotated.0)); the sealer signs with it from its next step. Verifier key:")
            print(rotated.0.verifierKey)
        }
    }
}
