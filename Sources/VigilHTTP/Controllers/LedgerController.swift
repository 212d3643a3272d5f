import Foundation
import Hummingbird
import VigilCore

/// The tamper-evident ledger (admins and analysts): the newest signed checkpoint, the keys
/// that sign checkpoints, an event's inclusion proof and consistency proofs between sizes.
struct LedgerController: Sendable {
    let ledger: any LedgerStore
    let events: any EventStore

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.get("ledger/head", use: self.head)
        group.get("ledger/keys", use: self.keys)
        group.get("ledger/consistency", use: self.consistency)
        group.get("events/{id}/proof", use: self.proof)
    }

    private var proofs: LedgerProofs { LedgerProofs(store: self.ledger) }

    @Sendable func head(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin, .analyst)
        try Self.refuseParameters(try request.queryParameters(), except: [])
        guard let head = try await self.proofs.head() else {
            return .json("{\"tree_size\":0,\"root_hash\":\"\(Data(Merkle.emptyRoot).base64EncodedString())\",\"checkpoint\":null}")
        }
        return .json(head.json)
    }

    @Sendable func keys(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin, .analyst)
        try Self.refuseParameters(try request.queryParameters(), except: [])
        let keys = try await self.ledger.ledgerKeys()
        return .json("[" + keys.map(\.json).joined(separator: ",") + "]")
    }

    @Sendable func proof(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin, .analyst)
        let id = try context.idParameter()
        // An event retention deleted has no proof, whatever its leaf (the engines keep leaves
        // differently; the answer is the same).
        guard try await self.events.event(id: id) != nil else { throw VigilError.notFound("No event with this id.") }
        if let proof = try await self.proofs.inclusion(eventID: id) {
            return .json(proof.json(eventID: id))
        }
        throw VigilError.conflict(code: "not_sealed", detail: "The event is not sealed yet; the sealer adds it within seconds.")
    }

    @Sendable func consistency(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin, .analyst)
        let parameters = try request.queryParameters()
        try Self.refuseParameters(parameters, except: ["from", "to"])
        let size = try await self.proofs.head()?.size ?? 0
        var errors: [FieldError] = []
        let from = Self.size(parameters, "from", errors: &errors)
        let to = Self.size(parameters, "to", errors: &errors)
        if let from, let to, errors.isEmpty {
            if from < 1 { errors.append(FieldError(field: "from", message: "must be at least 1")) }
            if to < from { errors.append(FieldError(field: "to", message: "must be at least from")) }
            if to > size { errors.append(FieldError(field: "to", message: "must be at most the sealed tree size, \(size)")) }
        }
        guard errors.isEmpty, let from, let to else { throw VigilError.validation(errors) }
        return .json(try await self.proofs.consistency(from: from, to: to).json)
    }

    private static func size(_ parameters: [(String, String)], _ name: String, errors: inout [FieldError]) -> Int? {
        let values = parameters.filter { $0.0 == name }.map(\.1)
        guard values.count == 1 else {
            errors.append(FieldError(field: name, message: values.isEmpty ? "is required" : "must be given once"))
            return nil
        }
        guard let value = Int(values[0]), value >= 0 else {
            errors.append(FieldError(field: name, message: "must be a non-negative integer"))
            return nil
        }
        return value
    }

    private static func refuseParameters(_ parameters: [(String, String)], except allowed: Set<String>) throws {
        let unknown = parameters.map(\.0).filter { !allowed.contains($0) }
        guard unknown.isEmpty else {
            throw VigilError.validation(unknown.map { FieldError(field: $0, message: "is not a parameter of this route") })
        }
    }
}
