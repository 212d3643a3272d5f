import VigilCore

/// How `event_words` (an FTS5 table written by the word indexer) keys and spells an event's
/// words, so that its rowid order is time order.
///
/// The rowid is the event's 2-second bucket of `occurred_at` (counted from 1990; earlier
/// instants share bucket 0, those after 2126 the last) in the high 31 bits and its seq in the
/// low 32. FTS5 hands back a word's rowids in rowid order, so a search walks the log by time,
/// nearest first, and stops as soon as a page is full, instead of taking every match.
enum WordRowid {
    static let seqBits: Int64 = 32
    static let seqMask: Int64 = (1 << seqBits) - 1
    static let bucketMicroseconds: Int64 = 2_000_000
    /// 1990-01-01T00:00:00Z in microseconds.
    static let origin: Int64 = 631_152_000_000_000
    static let lastBucket: Int64 = (1 << 31) - 1

    /// The bucket of `occurredAt`, clamped to the representable span.
    static func bucket(of occurredAt: Int64) -> Int64 {
        guard occurredAt >= origin else { return 0 }
        return min((occurredAt - origin) / bucketMicroseconds, lastBucket)
    }

    /// The rowid of the event `seq` at `occurredAt`; nil when `seq` needs more than 32 bits.
    static func rowid(seq: Int64, occurredAt: Int64) -> Int64? {
        guard seq >= 0, seq <= seqMask else { return nil }
        return self.bucket(of: occurredAt) << seqBits | seq
    }

    static func seq(of rowid: Int64) -> Int64 { rowid & seqMask }

    static func bucket(ofRowid rowid: Int64) -> Int64 { rowid >> seqBits }

    /// Every rowid of the buckets in `buckets`.
    static func rowids(_ buckets: ClosedRange<Int64>) -> ClosedRange<Int64> {
        (buckets.lowerBound << seqBits)...(buckets.upperBound << seqBits | seqMask)
    }

    /// A word as one token of FTS5's `ascii` tokenizer, which keeps every non-ASCII character
    /// and ASCII letters and digits and folds nothing that `TextSearch` has not already folded.
    /// A word holding any other ASCII byte (inside a Unicode letter or number, as in a keycap
    /// "1️⃣") is spelled as U+E000 and its UTF-8 in hex: one token, unlike any other word.
    static func token(_ word: String) -> String {
        let plain = word.utf8.allSatisfy { byte in
            byte >= 0x80 || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
        }
        guard !plain else { return word }
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        for byte in word.utf8 { hex += [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]] }
        return "\u{E000}" + String(decoding: hex, as: UTF8.self)
    }

    /// An FTS5 query requiring every term, each one quoted token.
    static func match(_ terms: [String]) -> String {
        terms.map { "\"" + self.token($0) + "\"" }.joined(separator: " ")
    }
}
