import Testing
import VigilCore

@Suite struct JSONParserTests {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test func parsesEveryKind() throws {
        let value = try parse(#" {"a":[1,-2,3.5,1e3,-0,true,false,null],"s":"x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00","o":{}} "#)
        #expect(
            value
                == .object([
                    "a": .array([.int(1), .int(-2), .double(3.5), .double(1000), .int(0), .bool(true), .bool(false), .null]),
                    "s": .string("x\"\\/\u{08}\u{0C}\n\r\té😀"),
                    "o": .object([:]),
                ])
        )
        #expect(try parse("9223372036854775807") == .int(Int64.max))
        #expect(try parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try parse(#""héllo""#) == .string("héllo"))
    }

    @Test(arguments: [
        "", " ", "{", "[1,]", "{\"a\":1,}", "{'a':1}", "01", "1.", ".5", "+1", "1e", "NaN", "Infinity", "tru", "nul",
        "[1 2]", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"a\nb\"",
        "\"unterminated", "1 2", "{\"a\":1,\"a\":2}", "1e999", "[]]", "// comment\n1",
    ])
    func rejectsInvalidJSON(text: String) {
        #expect(throws: JSONParser.Failure.self) { try parse(text) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xFF, 0xFE, 0x22]) }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xC3, 0x22]) }
    }

    @Test func boundsNesting() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try parse(ok)
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParser.Failure.self) { try parse(deep) }
    }

    @Test func canonicalJSONRoundTrips() throws {
        let text = #"{"b":[1,2.5,"x\n\u0001"],"a":{"z":null,"y":true}}"#
        let value = try parse(text)
        #expect(value.canonicalJSON == #"{"a":{"y":true,"z":null},"b":[1,2.5,"x\n\u0001"]}"#)
        #expect(try parse(value.canonicalJSON) == value)
    }
}
