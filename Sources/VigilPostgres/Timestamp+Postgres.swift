import NIOCore
import PostgresNIO
import VigilCore

// Timestamps travel as PostgreSQL's binary `timestamptz` (microseconds since 2000-01-01 UTC),
// which is exactly Vigil's resolution; going through `Date` would round through a Double.
extension Timestamp: PostgresNonThrowingEncodable, PostgresDecodable, PostgresArrayEncodable {
    /// Microseconds between the Unix epoch and PostgreSQL's epoch (2000-01-01).
    static let postgresEpochOffset: Int64 = 946_684_800_000_000

    public static var psqlType: PostgresDataType { .timestamptz }
    public static var psqlFormat: PostgresFormat { .binary }
    public static var psqlArrayType: PostgresDataType { .timestamptzArray }

    public func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        // Validation keeps stored and queried times in years 1-9999; should anything else reach
        // here, it saturates to PostgreSQL's -infinity/infinity (Int64.min/max) instead of trapping.
        let (value, overflow) = self.microseconds.subtractingReportingOverflow(Self.postgresEpochOffset)
        byteBuffer.writeInteger(overflow ? Int64.min : value)
    }

    public init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer,
        type: PostgresDataType,
        format: PostgresFormat,
        context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        guard type == .timestamptz || type == .timestamp, format == .binary, buffer.readableBytes == 8,
            let value = buffer.readInteger(as: Int64.self)
        else { throw PostgresDecodingError.Code.typeMismatch }
        let (micros, overflow) = value.addingReportingOverflow(Self.postgresEpochOffset)
        self.init(microseconds: overflow ? Int64.max : micros)
    }
}
