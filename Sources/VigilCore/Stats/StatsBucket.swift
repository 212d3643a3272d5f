/// The width of one timeline bucket of `GET /api/v1/stats`; windows are whole buckets (UTC).
public enum StatsBucket: String, Sendable, CaseIterable {
    case minute, hour, day

    public var seconds: Int64 {
        switch self {
        case .minute: 60
        case .hour: 3600
        case .day: 86_400
        }
    }

    public var microseconds: Int64 { self.seconds * 1_000_000 }

    /// The start of the bucket holding `instant`.
    public func floor(_ instant: Timestamp) -> Timestamp {
        let width = self.microseconds
        let remainder = ((instant.microseconds % width) + width) % width
        return Timestamp(microseconds: instant.microseconds - remainder)
    }

    /// The smallest bucket start at or after `instant`.
    public func ceiling(_ instant: Timestamp) -> Timestamp {
        let start = self.floor(instant)
        return start == instant ? start : Timestamp(microseconds: start.microseconds + self.microseconds)
    }
}
