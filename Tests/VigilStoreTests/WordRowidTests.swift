import Testing
import VigilCore

@testable import VigilSQLite

@Suite struct WordRowidTests {
    @Test func rowidsSortByBucketThenSeq() throws {
        let second: Int64 = 1_000_000
        let instants: [Int64] =
            [Int64.min, -62_135_596_800 * second, 0, WordRowid.origin - 1, WordRowid.origin, WordRowid.origin + 2 * second - 1]
            + [WordRowid.origin + 2 * second, 1_780_000_000 * second, 4_900_000_000 * second, 253_402_300_799 * second, Int64.max]
        var previous: Int64?
        for at in instants {
            let low = try #require(WordRowid.rowid(seq: 0, occurredAt: at))
            let high = try #require(WordRowid.rowid(seq: WordRowid.seqMask, occurredAt: at))
            #expect(low >= 0 && low < high)
            #expect(WordRowid.seq(of: high) == WordRowid.seqMask && WordRowid.bucket(ofRowid: low) == WordRowid.bucket(of: at))
            #expect(WordRowid.rowids(WordRowid.bucket(of: at)...WordRowid.bucket(of: at)) == low...high)
            if let previous { #expect(previous <= low) }
            previous = low
        }
        #expect(WordRowid.bucket(of: 0) == 0 && WordRowid.bucket(of: Int64.max) == WordRowid.lastBucket)
        #expect(WordRowid.bucket(of: WordRowid.origin + 2 * second - 1) + 1 == WordRowid.bucket(of: WordRowid.origin + 2 * second))
        #expect(WordRowid.rowid(seq: WordRowid.seqMask + 1, occurredAt: 0) == nil)
        #expect(WordRowid.rowid(seq: -1, occurredAt: 0) == nil)
    }

    @Test func everyWordIsOneTokenOfItsOwn() {
        #expect(WordRowid.token("password") == "password")
        #expect(WordRowid.token("café") == "café")
        #expect(WordRowid.token("1️⃣") == "1️⃣")
        let keycap = "#\u{FE0F}\u{20E3}"
        #expect(WordRowid.token(keycap) == "\u{E000}23efb88fe283a3")
        #expect(WordRowid.match(["a", keycap]) == "\"a\" \"\u{E000}23efb88fe283a3\"")
    }
}
