import Testing
import VigilCore

@testable import VigilSQLite

@Suite struct WordPostingsTests {
    @Test func postingsRoundTripAcrossHoursAndEpochs() throws {
        let hourLength = WordPostings.hourMicroseconds
        let cases: [(seq: Int64, at: Int64)] = [
            (1, 0), (65_535, hourLength - 1), (65_536, hourLength), (1 << 40, 1_780_000_000_000_000), (70_000, -1), (70_001, -hourLength),
            (131_071, -hourLength - 1),
        ]
        for (seq, at) in cases {
            let hour = WordPostings.hour(of: at)
            let epoch = WordPostings.epoch(of: seq)
            #expect(hour * hourLength <= at && at < (hour + 1) * hourLength)
            var bytes: [UInt8] = []
            WordPostings.append(.init(seq: seq, occurredAt: at), hour: hour, epoch: epoch, to: &bytes)
            WordPostings.append(.init(seq: seq, occurredAt: at), hour: hour, epoch: epoch, to: &bytes)
            #expect(bytes.count <= 16)
            var decoded: [WordPostings.Posting] = []
            try WordPostings.decode(bytes, hour: hour, epoch: epoch, into: &decoded)
            #expect(decoded == [.init(seq: seq, occurredAt: at), .init(seq: seq, occurredAt: at)])
        }
    }

    @Test func bytesNoAppendWroteAreRefused() {
        var decoded: [WordPostings.Posting] = []
        for bytes: [UInt8] in [[0x01], [0x80], [0x01, 0x80], [0xFF, 0xFF, 0x04, 0x00], [0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]] {
            #expect(throws: CorruptRow.self) { try WordPostings.decode(bytes, hour: 0, epoch: 0, into: &decoded) }
        }
        #expect(throws: Never.self) { try WordPostings.decode([], hour: 5, epoch: 5, into: &decoded) }
        #expect(decoded.isEmpty)
    }
}
