import Foundation
import Testing
import VigilCore

@Suite struct EncodingTests {
    @Test func base64URLRoundTripsAndMatchesFoundation() throws {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let encoded = Base64URL.encode(bytes)
            let foundation = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(encoded == foundation)
            #expect(Base64URL.decode(Array(encoded.utf8)) == bytes)
        }
    }

    @Test(arguments: ["a", "ab=c", "ab+c", "ab/c", "abc!", "ab c", "ab\n", "AB"])
    func base64URLRejectsNonCanonicalInput(text: String) {
        #expect(Base64URL.decode(Array(text.utf8)) == nil)
    }

    @Test func uuidTextMatchesFoundation() throws {
        for _ in 0..<100 {
            let id = UUID()
            #expect(id.lowercased == id.uuidString.lowercased())
            #expect(UUID(canonical: id.uuidString) == id)
            #expect(UUID(canonical: id.lowercased) == id)
        }
        for bad in [
            "", "not-a-uuid", "0190a0e1-0000-7000-8000-00000000000", "0190a0e1-0000-7000-8000-00000000000g",
            "0190a0e100000-7000-8000-000000000001", "{0190a0e1-0000-7000-8000-000000000001}",
        ] {
            #expect(UUID(canonical: bad) == nil, "\(bad)")
        }
    }

    @Test func hex() {
        #expect(Hex.encode([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    }

    @Test func jsonWriterEscapes() {
        var writer = JSONWriter()
        writer.string("plain")
        writer.string("q\"b\\n\n\u{01}\u{2028}é")
        #expect(writer.output == #""plain""q\"b\\n\n\u0001\u2028é""#)
    }

    /// Numbers, times and ids written in place are the text their string forms give.
    @Test func jsonWriterNumbersTimesAndIDs() {
        let numbers: [Int64] = [0, 7, 10, -1, -10, 1_234_567_890, .max, .min]
        var writer = JSONWriter()
        for number in numbers {
            writer.int(number)
            writer.raw(" ")
        }
        #expect(writer.output == numbers.map { "\($0) " }.joined())
        let time = Timestamp(microseconds: 1_764_000_000_123_456)
        let id = UUID.v7()
        writer.reset()
        writer.object { object in
            object.field("at", time)
            object.field("id", id)
            object.field("n", -42)
        }
        #expect(writer.output == "{\"at\":\"\(time.rfc3339)\",\"id\":\"\(id.lowercased)\",\"n\":-42}")
        #expect(Array(writer.output.utf8) == writer.bytes)
    }
}
