/// The word index cannot key an event this far into the log (see `WordRowid`).
public struct WordIndexFull: Error, CustomStringConvertible {
    public let seq: Int64
    public var description: String {
        "the SQLite word index ends before event seq \(seq) (32-bit seqs); full text matches later events row by row"
    }
}
