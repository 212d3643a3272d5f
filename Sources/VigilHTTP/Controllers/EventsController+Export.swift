import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import VigilCore

extension EventsController {
    /// Most events read per database round trip while exporting.
    static let exportPageSize = 5000
    /// About the most bytes of events one page holds; an export holds two pages.
    static let exportPageBytes = 16 << 20

    /// `GET /api/v1/events/export`: every event matching the filters, streamed as CSV or NDJSON
    /// while it is read. Admins only. `events.export.started` is committed before the first
    /// byte (so a node dying mid-stream still leaves a record; no record, no export), and
    /// `events.exported` when the stream ends — completed, cut short by the client, or failed —
    /// with the filters and the rows written.
    @Sendable func export(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        let parameters = try request.queryParameters()
        let export = try ExportRequest.parse(parameters).get()
        let slots = self.exportSlots
        guard let slot = slots.acquire() else {
            throw VigilError.tooManyRequests(retryAfter: 5, detail: "This node is already streaming \(slots.limit) exports; retry later.")
        }
        let audit = self.audit
        let auditContext = context.auditContext(request)
        let events = self.events
        let ledger = self.ledger
        let started = Timestamp.now()
        try await audit.record(
            .exportStarted,
            severity: .medium,
            outcome: .success,
            context: auditContext,
            description: "Export as \(export.format.rawValue) started",
            details: ["format": .string(export.format.rawValue), "filters": .object(export.filters), "proofs": .bool(export.proofs)]
        )
        var headers = HTTPFields()
        headers[.contentType] = export.format.contentType
        headers[.contentDisposition] = "attachment; filename=\"\(Self.exportFileName(export.format, at: started))\""
        headers[.cacheControl] = "no-store"
        let body = ResponseBody { writer in
            // Held by this closure: the slot is free again when the response is gone.
            withExtendedLifetime(slot) {}
            var rows: Int64 = 0
            var failure: (any Error)?
            do {
                if export.format == .csv { try await writer.write(ByteBuffer(string: EventCSV.header)) }
                // A bundle proves every event against the checkpoint that was the head when it began.
                let proofs = LedgerProofs(store: ledger)
                let head = export.proofs ? try await proofs.head() : nil
                if export.proofs { try await writer.write(ByteBuffer(string: LedgerBundle.header(head: head, keys: try await ledger.ledgerKeys()))) }
                try await events.forEachPage(matching: export.query, pageSize: Self.exportPageSize, maxPageBytes: Self.exportPageBytes) { page in
                    if export.proofs {
                        let paths = try await proofs.inclusions(of: page, size: head?.size ?? 0)
                        try await writer.write(ByteBuffer(string: page.map { LedgerBundle.line($0, proof: paths[$0.id]) }.joined()))
                    } else {
                        try await writer.write(Self.encode(page, as: export.format))
                    }
                    rows += Int64(page.count)
                }
                try await writer.finish(nil)
            } catch {
                failure = error
            }
            let (count, completed) = (rows, failure == nil)
            // A client that hangs up cancels this task; the record must still be written.
            // The start is on record already; a failure here is logged by the trail.
            try? await Task {
                try await audit.record(
                    .exported,
                    severity: .medium,
                    outcome: completed ? .success : .failure,
                    context: auditContext,
                    description: completed
                        ? "Exported \(count) events as \(export.format.rawValue)"
                        : "Export as \(export.format.rawValue) ended early after \(count) events",
                    details: [
                        "format": .string(export.format.rawValue), "filters": .object(export.filters), "rows": .int(count),
                        "completed": .bool(completed), "proofs": .bool(export.proofs),
                    ]
                )
            }.value
            if let failure { throw failure }
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// One page as CSV rows or NDJSON lines (each event exactly as `GET /api/v1/events` shows it).
    static func encode(_ page: [Event], as format: ExportFormat) -> ByteBuffer {
        switch format {
        case .csv:
            var bytes: [UInt8] = []
            bytes.reserveCapacity(page.count * 400)
            for event in page { EventCSV.appendRow(event, to: &bytes) }
            return ByteBuffer(bytes: bytes)
        case .ndjson:
            var writer = JSONWriter(capacity: page.count * 450)
            for event in page {
                event.writeJSON(into: &writer)
                writer.raw("\n")
            }
            return ByteBuffer(string: writer.output)
        }
    }

    /// `vigil-events-20261123T113000Z.csv`: when the export started, safe in any file system.
    static func exportFileName(_ format: ExportFormat, at time: Timestamp) -> String {
        let stamp = String(time.rfc3339.prefix(19)).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
        return "vigil-events-\(stamp)Z.\(format.fileExtension)"
    }
}
