import Foundation
import Logging
import PostgresNIO
import VigilCore

/// Monthly partitions of `events`, named `events_pYYYY_MM`, created ahead of time.
///
/// Rows whose month has no partition land in `events_default` (back-filled history, clock
/// skew). Creating a partition for a month that already has rows there moves them in the same
/// transaction, so the partition bounds never conflict with the default partition.
public enum PostgresPartitions {
    static let lockKey: Int64 = 0x5649_4749_4C00_0002

    /// A calendar month in UTC.
    struct Month: Hashable, Comparable {
        let year: Int
        let month: Int

        init(year: Int, month: Int) {
            let index = year * 12 + (month - 1)
            self.year = index / 12
            self.month = index % 12 + 1
        }

        init(containing time: Timestamp) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let parts = calendar.dateComponents([.year, .month], from: time.date)
            self.init(year: parts.year ?? 1970, month: parts.month ?? 1)
        }

        /// The month of a partition named `events_pYYYY_MM`; nil for any other name.
        init?(tableName: String) {
            let digits = tableName.utf8.filter { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            guard tableName.hasPrefix("events_p"), tableName.utf8.count == 15, digits.count == 6,
                let year = Int(tableName.dropFirst(8).prefix(4)), let month = Int(tableName.suffix(2)), (1...12).contains(month)
            else { return nil }
            self.init(year: year, month: month)
            guard self.tableName == tableName else { return nil }
        }

        /// The month's first instant.
        var startTime: Timestamp {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let date = calendar.date(from: DateComponents(year: self.year, month: self.month, day: 1)) ?? Date(timeIntervalSince1970: 0)
            return Timestamp(date)
        }

        func adding(_ months: Int) -> Month { Month(year: self.year, month: self.month + months) }

        var tableName: String { String(format: "events_p%04d_%02d", self.year, self.month) }

        /// The first instant of the month as a PostgreSQL literal (only digits; safe in DDL).
        var start: String { String(format: "%04d-%02d-01 00:00:00+00", self.year, self.month) }

        static func < (lhs: Month, rhs: Month) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }
    }

    /// Makes sure partitions exist from the month before `now` to `monthsAhead` months after
    /// it; returns the names of the partitions it created. Safe to run concurrently.
    @discardableResult
    public static func ensure(
        _ client: PostgresClient,
        now: Timestamp = .now(),
        monthsAhead: Int = 3,
        logger: Logger
    ) async throws -> [String] {
        let current = Month(containing: now)
        var created: [String] = []
        for offset in -1...monthsAhead {
            let month = current.adding(offset)
            if try await self.create(month, client: client, logger: logger) {
                logger.info("created partition", metadata: ["partition": "\(month.tableName)"])
                created.append(month.tableName)
            }
        }
        return created
    }

    /// Names of the existing monthly partitions, oldest first.
    public static func existing(_ client: PostgresClient, logger: Logger) async throws -> [String] {
        let rows = try await client.query(
            """
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'events'::regclass AND c.relname LIKE 'events\\_p%' ORDER BY c.relname
            """,
            logger: logger
        )
        var names: [String] = []
        for try await name in rows.decode(String.self) { names.append(name) }
        return names
    }

    private static func create(_ month: Month, client: PostgresClient, logger: Logger) async throws -> Bool {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SET LOCAL statement_timeout = 0", logger: logger)
            _ = try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger).collect()
            let name = month.tableName
            let exists = try await connection.query("SELECT to_regclass(\(name)) IS NOT NULL", logger: logger).decode(Bool.self)
            for try await found in exists where found { return false }
            let start = month.start
            let end = month.adding(1).start
            // DDL takes no bind parameters; the names and bounds are built from integers only.
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        CREATE TEMP TABLE moving ON COMMIT DROP AS
                        WITH moved AS (
                            DELETE FROM events_default WHERE occurred_at >= '\(start)' AND occurred_at < '\(end)' RETURNING *
                        ) SELECT * FROM moved
                        """
                ),
                logger: logger
            )
            try await connection.query(
                PostgresQuery(unsafeSQL: "CREATE TABLE \(name) PARTITION OF events FOR VALUES FROM ('\(start)') TO ('\(end)')"),
                logger: logger
            )
            try await connection.query("INSERT INTO events SELECT * FROM moving", logger: logger)
            return true
        }
    }
}
