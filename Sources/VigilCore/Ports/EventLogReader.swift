/// A position in the committed event log. Opaque: each engine writes its own token, and a
/// follower stores it as text and hands it back.
public struct LogPosition: Sendable, Hashable, CustomStringConvertible {
    public let token: String

    public init(token: String) {
        self.token = token
    }

    public var description: String { self.token }
}

/// A run of committed events and the position after the last of them.
public struct LogBatch: Sendable, Equatable {
    public var events: [Event]
    /// Where the next read continues (the given position when `events` is empty).
    public var position: LogPosition?
    /// The position after each of `events` (`positions.last == position`), or empty when the
    /// engine did not give them. Lets `SharedLogTail` serve a follower from the middle of a run
    /// another follower read.
    public var positions: [LogPosition]

    public init(events: [Event], position: LogPosition?, positions: [LogPosition] = []) {
        self.events = events
        self.position = position
        self.positions = positions
    }
}

/// Which part of the log to read: positions after `after` up to and including `through`, and
/// of those only events whose `occurred_at` lies in `[occurredFrom, occurredTo)`. The position
/// returned always advances over every event read, filtered or not only by time.
public struct LogRange: Sendable, Equatable {
    public var after: LogPosition?
    public var through: LogPosition?
    public var occurredFrom: Timestamp?
    public var occurredTo: Timestamp?

    public init(after: LogPosition? = nil, through: LogPosition? = nil, occurredFrom: Timestamp? = nil, occurredTo: Timestamp? = nil) {
        self.after = after
        self.through = through
        self.occurredFrom = occurredFrom
        self.occurredTo = occurredTo
    }
}

/// Reads the committed event log in an order a follower can resume from.
public protocol EventLogReader: Sendable {
    /// At most `limit` committed events in `range`, in log order. The contract a follower
    /// relies on: an event not returned by this call can never later appear before its last
    /// event — even if it was committed late by another connection or node — so following
    /// positions visits every committed event exactly once.
    ///
    /// An engine returns fewer than `limit` only at the end of what is committed; a
    /// `SharedLogTail` may at any point (it answers with the run it kept), so a follower that
    /// may be handed one ends a pass only on an empty batch.
    func committedEvents(in range: LogRange, limit: Int) async throws -> LogBatch
}

extension EventLogReader {
    /// At most `limit` committed events after `position` (from the beginning when nil).
    public func committedEvents(after position: LogPosition?, limit: Int) async throws -> LogBatch {
        try await self.committedEvents(in: LogRange(after: position), limit: limit)
    }
}
