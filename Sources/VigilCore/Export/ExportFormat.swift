/// The file formats of `GET /api/v1/events/export`.
public enum ExportFormat: String, Sendable, CaseIterable {
    case csv, ndjson

    public var contentType: String {
        switch self {
        case .csv: "text/csv; charset=utf-8; header=present"
        case .ndjson: "application/x-ndjson"
        }
    }

    public var fileExtension: String { self.rawValue }
}
