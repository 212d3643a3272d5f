import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VigilCore

@testable import VigilHTTP

/// The ledger routes against a running sealer: what they answer verifies with nothing but the
/// published key and the event's own JSON as the API returns it.
@Suite struct LedgerAPITests {
    static let fast = TestApp.configuration {
        $0.ledger.enabled = true
        $0.ledger.sealIntervalMilliseconds = 100
    }

    /// Polls the head until it covers at least `size` leaves.
    static func head(_ client: some TestClientProtocol, _ token: String, atLeast size: Int) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let body = try await client.request(.get, "/api/v1/ledger/head", token: token).object()
            if (body["tree_size"] as? Int ?? 0) >= size || ContinuousClock.now > deadline { return body }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func hashes(_ value: Any?) -> [Merkle.Hash] {
        (value as? [String] ?? []).compactMap { Data(base64Encoded: $0).map(Array.init) }
    }

    @Test func proofsVerifyWithThePublishedKeyAlone() async throws {
        try await TestApp.run(Self.fast) { client in
            let admin = try await client.adminToken()
            try await client.makeAnalyst(admin: admin)
            let analyst = try await client.login("ann", "analyst-pass-1").token
            var ids: [String] = []
            for index in 0..<5 {
                let created = try await client.ingest(admin, #"{"type":"ledger.test","description":"event \#(index)"}"#)
                ids.append(try #require(try created.object()["id"] as? String))
            }
            // Sealed by the time the last one is: the log is sealed in order.
            let deadline = ContinuousClock.now + .seconds(20)
            while try await client.request(.get, "/api/v1/events/\(ids[4])/proof", token: analyst).status != .ok, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            let head = try await Self.head(client, analyst, atLeast: 8)
            let size = try #require(head["tree_size"] as? Int)
            let keys = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(try await client.request(.get, "/api/v1/ledger/keys", token: analyst).body.readableBytesView)
                ) as? [[String: Any]]
            )
            let key = try #require(keys.first)
            let publicKey = Array(try #require(Data(base64Encoded: key["public_key"] as? String ?? "")))
            let verifier = try #require(LedgerKey.parseVerifierKey(key["verifier_key"] as? String ?? ""))
            #expect(verifier.publicKey == publicKey && verifier.name == "vigil")
            let checkpoint = try #require(Checkpoint.verified(note: head["checkpoint"] as? String ?? "", name: "vigil", publicKey: publicKey))
            #expect(checkpoint.size == size && Data(checkpoint.rootHash).base64EncodedString() == head["root_hash"] as? String)
            for id in ids {
                let event = try await client.request(.get, "/api/v1/events/\(id)", token: analyst)
                let proof = try await client.request(.get, "/api/v1/events/\(id)/proof", token: analyst).object()
                let index = try #require(proof["leaf_index"] as? Int)
                let note = try #require(proof["checkpoint"] as? String)
                let signed = try #require(Checkpoint.verified(note: note, name: "vigil", publicKey: publicKey))
                let leaf = Merkle.leafHash(Array(event.body.readableBytesView))
                #expect(
                    Merkle.verifyInclusion(
                        leaf: leaf,
                        index: index,
                        size: signed.size,
                        proof: Self.hashes(proof["inclusion_path"]),
                        root: signed.rootHash
                    )
                )
            }
            let consistency = try await client.request(.get, "/api/v1/ledger/consistency?from=3&to=\(size)", token: analyst).object()
            let oldRoot = Array(try #require(Data(base64Encoded: consistency["from_root"] as? String ?? "")))
            #expect(
                Merkle.verifyConsistency(
                    old: 3,
                    new: size,
                    oldRoot: oldRoot,
                    newRoot: checkpoint.rootHash,
                    proof: Self.hashes(consistency["consistency_path"])
                )
            )
            try await client.request(.get, "/api/v1/events/\(UUID.v7().lowercased)/proof", token: analyst).expectProblem(.notFound, code: "not_found")
        }
    }

    @Test func onlyAdminsAndAnalystsAndOnlyValidSizes() async throws {
        try await TestApp.run(Self.fast) { client in
            let admin = try await client.adminToken()
            let user = try await client.makeUser("uma")
            let created = try await client.ingest(admin, #"{"type":"ledger.test"}"#)
            let id = try #require(try created.object()["id"] as? String)
            for path in ["/api/v1/ledger/head", "/api/v1/ledger/keys", "/api/v1/ledger/consistency?from=1&to=1", "/api/v1/events/\(id)/proof"] {
                try await client.request(.get, path, token: user).expectProblem(.forbidden, code: "forbidden")
                try await client.request(.get, path).expectProblem(.unauthorized, code: "unauthenticated")
            }
            let size = try #require(try await Self.head(client, admin, atLeast: 3)["tree_size"] as? Int)
            let cases: [(String, [String])] = [
                ("", ["from", "to"]), ("from=0&to=1", ["from"]), ("from=2&to=1", ["to"]), ("from=1&to=\(size + 1_000_000)", ["to"]),
                ("from=x&to=1", ["from"]), ("from=1&from=1&to=1", ["from"]), ("from=1&to=1&limit=3", ["limit"]),
            ]
            for (query, fields) in cases {
                let response = try await client.request(.get, "/api/v1/ledger/consistency?\(query)", token: admin)
                _ = try response.expectProblem(.badRequest, code: "validation_failed")
                #expect(try response.errorFields() == fields, "\(query)")
            }
        }
    }

    @Test func withTheSealerOffNothingIsSealed() async throws {
        try await TestApp.run(TestApp.configuration { $0.ledger.enabled = false }) { client in
            let admin = try await client.adminToken()
            let created = try await client.ingest(admin, #"{"type":"ledger.test"}"#)
            let id = try #require(try created.object()["id"] as? String)
            let head = try await client.request(.get, "/api/v1/ledger/head", token: admin).object()
            #expect(head["tree_size"] as? Int == 0 && head["checkpoint"] is NSNull)
            try await client.request(.get, "/api/v1/events/\(id)/proof", token: admin).expectProblem(.conflict, code: "not_sealed")
        }
    }
}
