import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import VigilCore

/// `/api/v1/events`: ingest (single, batch, NDJSON) and query.
struct EventsController: Sendable {
    let events: any EventStore
    let writer: EventWriter
    let ingestLimiter: IngestRateLimiter
    /// Bounds concurrent exports on this node.
    let exportSlots: ExportSlots
    let audit: AuditTrail
    /// Proofs for verifiable exports (`proofs=true`).
    let ledger: any LedgerStore

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.post("events", use: self.create)
        group.post("events/batch", use: self.createBatch)
        group.get("events", use: self.list)
        group.get("events/export", use: self.export)
        group.get("events/{id}", use: self.show)
    }

    @Sendable func create(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let principal = try context.requireEventWriter()
        _ = try RequestBody.format(of: request)
        let value = try RequestBody.decodeJSON(try await RequestBody.collect(request, limit: RequestBody.defaultLimit))
        let now = Timestamp.now()
        let event = try NewEvent.validate(value, now: now).get()
        try self.ingestLimiter.admit(1, for: principal.ingestName)
        let result = try await self.writer.append([event.prepared(receivedAt: now, ingestedBy: principal.ingestName)])
        switch result {
        case .committed(let outcomes):
            guard let outcome = outcomes.first else { throw VigilError.unavailable(retryAfter: 1) }
            return .json(outcome.event.json, status: outcome.isDuplicate ? .ok : .created)
        case .conflict:
            throw VigilError.conflict(
                code: "id_conflict",
                detail: "An event with this id exists with different content.",
                errors: [FieldError(field: "id", message: "already used by an event with different content")]
            )
        }
    }

    @Sendable func createBatch(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let principal = try context.requireEventWriter()
        let format = try RequestBody.format(of: request, allowNDJSON: true)
        let body = try await RequestBody.collect(request, limit: RequestBody.batchLimit)
        let values = try Self.items(of: body, format: format)
        guard !values.isEmpty else {
            throw VigilError.validation([FieldError(field: "", message: "must contain at least one event")])
        }
        guard values.count <= NewEvent.maxBatchEvents else {
            throw VigilError.validation([FieldError(field: "", message: "must contain at most \(NewEvent.maxBatchEvents) events")])
        }
        let now = Timestamp.now()
        var prepared: [PreparedEvent] = []
        var errors: [FieldError] = []
        for (index, value) in values.enumerated() {
            switch NewEvent.validate(value, now: now) {
            case .success(let event): prepared.append(event.prepared(receivedAt: now, ingestedBy: principal.ingestName))
            case .failure(let failure): errors += failure.errors.map { $0.inItem(index) }
            }
        }
        guard errors.isEmpty else { throw VigilError.validation(errors) }
        try self.ingestLimiter.admit(prepared.count, for: principal.ingestName)
        switch try await self.writer.append(prepared) {
        case .committed(let outcomes):
            var writer = JSONWriter(capacity: 64 + outcomes.count * 40)
            writer.object { object in
                object.field("accepted", Int64(outcomes.count { !$0.isDuplicate }))
                object.field("duplicates", Int64(outcomes.count { $0.isDuplicate }))
                object.rawField("ids", "[" + outcomes.map { "\"\($0.event.id.lowercased)\"" }.joined(separator: ",") + "]")
            }
            return .json(writer.output, status: .created)
        case .conflict(let indices):
            throw VigilError.conflict(
                code: "id_conflict",
                detail: "Events reuse ids stored with different content; nothing was written.",
                errors: indices.map { FieldError(field: "[\($0)].id", message: "already used by an event with different content") }
            )
        }
    }

    /// The submitted items: a JSON array, or one JSON value per NDJSON line (blank lines ignored).
    static func items(of body: ByteBuffer, format: RequestBody.Format) throws -> [JSONValue] {
        switch format {
        case .json:
            guard case .array(let items) = try RequestBody.decodeJSON(body) else {
                throw VigilError.validation([FieldError(field: "", message: "must be a JSON array of events")])
            }
            return items
        case .ndjson:
            var items: [JSONValue] = []
            var malformed: [FieldError] = []
            let lines = body.readableBytesView.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            for line in lines {
                let trimmed = line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...]
                if trimmed.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
                if items.count > NewEvent.maxBatchEvents { break }
                do {
                    items.append(try JSONParser.parse(trimmed))
                } catch {
                    malformed.append(FieldError(field: "[\(items.count)]", message: "is not valid JSON: \(error.message)"))
                    items.append(.null)
                }
            }
            if !malformed.isEmpty { throw VigilError.validation(malformed) }
            return items
        }
    }

    @Sendable func list(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let principal = try context.requireEventReader()
        let parameters = try request.queryParameters()
        let query = principal.scoped(try EventQuery.parse(parameters).get())
        let page = try await self.events.events(matching: query)
        var writer = JSONWriter(capacity: 256 + page.items.count * 512)
        writer.raw("{\"items\":[")
        for (index, event) in page.items.enumerated() {
            if index > 0 { writer.raw(",") }
            event.writeJSON(into: &writer)
        }
        writer.raw("],\"next_cursor\":")
        writer.stringOrNull(page.nextCursor?.token)
        writer.raw("}")
        return .json(writer.output)
    }

    @Sendable func show(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let principal = try context.requireEventReader()
        let id = try context.idParameter()
        // Another user's event is reported as missing, not forbidden, so ids reveal nothing.
        guard let event = try await self.events.event(id: id), principal.canRead(event) else {
            throw VigilError.notFound("No event with this id.")
        }
        return .json(event.json)
    }
}
