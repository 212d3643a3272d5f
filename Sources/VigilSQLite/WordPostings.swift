import VigilCore

/// One row of `event_words`: the events of one epoch of seqs, in one hour of `occurred_at`,
/// whose searchable fields hold one word (`TextSearch.words`).
///
/// Postings are `(seq, occurred_at)` pairs, each two unsigned LEB128 varints: the seq less
/// the epoch's first seq (< 65,536: ≤ 3 bytes) and `occurred_at` less the hour's start
/// (< 3.6e9 µs: ≤ 5 bytes). Both are absolute within the row, so a later indexing step appends
/// its postings with a plain `postings || excluded.postings`, and `occurred_at` is at hand to
/// pick the newest candidates without reading their events.
struct WordPostings: Sendable {
    struct Posting: Sendable, Hashable {
        var seq: Int64
        var occurredAt: Int64
    }

    static let epochBits: Int64 = 16
    static let hourMicroseconds: Int64 = 3_600_000_000

    /// The hour holding `occurredAt` (floor division: also right before 1970).
    static func hour(of occurredAt: Int64) -> Int64 {
        occurredAt >= 0 ? occurredAt / hourMicroseconds : -((-occurredAt - 1) / hourMicroseconds) - 1
    }

    static func epoch(of seq: Int64) -> Int64 { seq >> epochBits }

    /// Appends `posting`, which must lie in `hour` and `epoch`, to `bytes`.
    static func append(_ posting: Posting, hour: Int64, epoch: Int64, to bytes: inout [UInt8]) {
        self.appendVarint(UInt64(posting.seq - (epoch << epochBits)), to: &bytes)
        self.appendVarint(UInt64(posting.occurredAt - hour * hourMicroseconds), to: &bytes)
    }

    /// The postings of one row; throws `CorruptRow` on bytes no `append` wrote.
    static func decode(_ bytes: some Collection<UInt8>, hour: Int64, epoch: Int64, into postings: inout [Posting]) throws {
        var iterator = bytes.makeIterator()
        while let seq = try self.nextVarint(&iterator, first: true) {
            guard let offset = try self.nextVarint(&iterator, first: false), seq < 1 << epochBits, offset < hourMicroseconds else {
                throw CorruptRow(table: "event_words")
            }
            postings.append(Posting(seq: (epoch << epochBits) + Int64(seq), occurredAt: hour * hourMicroseconds + Int64(offset)))
        }
    }

    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// The next varint; nil at the end when `first` (a posting may end there), else throws.
    private static func nextVarint<I: IteratorProtocol<UInt8>>(_ iterator: inout I, first: Bool) throws -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var sawByte = false
        while let byte = iterator.next() {
            sawByte = true
            guard shift < 35 else { throw CorruptRow(table: "event_words") }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        if !sawByte && first { return nil }
        throw CorruptRow(table: "event_words")
    }
}
