/// The granularities at which committed events are pre-counted. Day and hour rollups hold
/// every count `GET /api/v1/stats` reports (by type, severity, outcome, source, address,
/// actor, failed logins); minute rollups hold only the total, for minute timelines.
public enum RollupLevel: String, Sendable, CaseIterable {
    case minute = "m"
    case hour = "h"
    case day = "d"

    public var bucket: StatsBucket {
        switch self {
        case .minute: .minute
        case .hour: .hour
        case .day: .day
        }
    }

    public init(_ bucket: StatsBucket) {
        switch bucket {
        case .minute: self = .minute
        case .hour: self = .hour
        case .day: self = .day
        }
    }
}
