import Foundation
import Testing

@testable import VigilCore

/// The syslog and CEF parsers (issue 19's first part): the RFCs' own examples, what real senders
/// emit, and random bytes.
@Suite struct SyslogParserTests {
    static let received = Timestamp(rfc3339: "2026-12-05T17:00:00Z")!

    static func parse(_ text: String) -> Result<SyslogMessage, LogRejection> {
        SyslogParser.parse(Array(text.utf8), receivedAt: received)
    }

    @Test func rfc5424WithStructuredDataAndBOM() throws {
        let text =
            #"<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"] \#u{FEFF}An application event log entry..."#
        let message = try Self.parse(text).get()
        #expect(message.format == .rfc5424 && message.facility == 20 && message.severity == 5)
        #expect(message.timestamp == Timestamp(rfc3339: "2003-10-11T22:14:15.003Z"))
        #expect(message.hostname == "mymachine.example.com" && message.appName == "evntslog" && message.procID == nil && message.msgID == "ID47")
        #expect(message.structuredData["exampleSDID@32473"] == ["iut": "3", "eventSource": "Application", "eventID": "1011"])
        #expect(message.structuredData["examplePriority@32473"] == ["class": "high"])
        #expect(message.message == "An application event log entry...")
    }

    @Test func rfc5424NilValuesAndEscapes() throws {
        let message = try Self.parse(#"<34>1 - - - - - [a b="x\"y\]z\\"] hello"#).get()
        #expect(message.timestamp == nil && message.hostname == nil && message.appName == nil)
        #expect(message.structuredData["a"] == ["b": #"x"y]z\"#])
        #expect(message.message == "hello")
        #expect(try Self.parse("<34>1 - - - - - -").get().message == "")
        #expect(Self.parse("<34>1 yesterday host app - - - msg") == .failure(.malformedHeader))
        #expect(Self.parse(#"<34>1 - - - - - [a b="unterminated] msg"#) == .failure(.malformedHeader))
    }

    @Test func rfc3164AsLoggerAndSshdSendIt() throws {
        let message = try Self.parse("<38>Dec  5 16:59:58 bastion sshd[4242]: Failed password for root from 203.0.113.9 port 52122 ssh2\n").get()
        #expect(message.format == .rfc3164 && message.facility == 4 && message.severity == 6)
        #expect(message.timestamp == Timestamp(rfc3339: "2026-12-05T16:59:58Z"))
        #expect(message.hostname == "bastion" && message.appName == "sshd" && message.procID == "4242")
        #expect(message.message == "Failed password for root from 203.0.113.9 port 52122 ssh2")
        // No hostname, no timestamp: the tag is still found.
        let bare = try Self.parse("<13>myapp: started").get()
        #expect(bare.appName == "myapp" && bare.message == "started" && bare.timestamp == nil)
        // A message stamped 31 December and received on 1 January belongs to the year before.
        let newYear = SyslogParser.parse(Array("<13>Dec 31 23:59:59 h app: x".utf8), receivedAt: Timestamp(rfc3339: "2027-01-01T00:00:05Z")!)
        #expect(try newYear.get().timestamp == Timestamp(rfc3339: "2026-12-31T23:59:59Z"))
    }

    @Test func junkIsRefusedByReason() {
        #expect(Self.parse("no priority") == .failure(.badPriority))
        #expect(Self.parse("<192>1 - - - - - -") == .failure(.badPriority))
        #expect(Self.parse("<013>x: y") == .failure(.badPriority))
        #expect(SyslogParser.parse([0x3C, 0x31, 0x3E, 0xFF, 0xFE], receivedAt: Self.received) == .failure(.invalidUTF8))
        #expect(SyslogParser.parse(Array(repeating: 0x41, count: 70_000), receivedAt: Self.received) == .failure(.oversize))
        #expect(Self.parse("<13>") == .failure(.empty))
    }

    @Test func cefHeaderExtensionsAndSeverity() throws {
        let text =
            #"<134>Dec  5 16:00:00 fw CEF:0|Security|threatmanager|1.0|100|worm successfully stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232 suser=alice msg=Detected a \= sign act=blocked"#
        let message = try Self.parse(text).get()
        let cef = try #require(CEFMessage.parse(message.message))
        #expect(cef.vendor == "Security" && cef.product == "threatmanager" && cef.signatureID == "100" && cef.name == "worm successfully stopped")
        #expect(cef.extensions["src"] == "10.0.0.1" && cef.extensions["suser"] == "alice" && cef.extensions["act"] == "blocked")
        #expect(cef.extensions["msg"] == "Detected a = sign")
        #expect(cef.vigilSeverity == .critical)
        #expect(CEFMessage.parse(#"CEF:0|a\|b|p|1|7|n|High|"#)?.vendor == "a|b")
        #expect(CEFMessage.parse("CEF:0|a|p|1|7|n|2|")?.vigilSeverity == .low)
        #expect(CEFMessage.parse("CEF:0|a|p|1|7|n|5|")?.vigilSeverity == .medium)
        #expect(CEFMessage.parse("CEF:0|a|p|1|7|n|8|")?.vigilSeverity == .high)
        #expect(CEFMessage.parse("CEF:0|a|p|1|7") == nil)
        #expect(SyslogMessage.severity(syslog: 0) == .critical && SyslogMessage.severity(syslog: 3) == .high)
        #expect(
            SyslogMessage.severity(syslog: 4) == .medium && SyslogMessage.severity(syslog: 5) == .low && SyslogMessage.severity(syslog: 7) == .info
        )
    }

    /// A property over random input: every byte string is parsed or refused, never a trap, and
    /// every message parsed becomes an event the API's validation accepts.
    @Test func randomBytesNeverTrap() {
        var generator = SplitMix64(seed: 19)
        let alphabet = Array("<>1 -[]=\"\\|:CEF0123456789abc\n".utf8) + [0xFF, 0xC3, 0x00]
        for round in 0..<20_000 {
            let length = Int(generator.next() % 300)
            var bytes = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            if round % 3 == 0 { bytes = Array("<\(generator.next() % 200)>".utf8) + bytes }
            if round % 5 == 0 { bytes = Array("<13>1 ".utf8) + bytes }
            switch SyslogParser.parse(bytes, receivedAt: Self.received) {
            case .success(let message):
                _ = CEFMessage.parse(message.message)
                let event = message.draft(peer: "192.0.2.1:514").newEvent(now: Self.received)
                #expect((try? event.get()) != nil, "\(bytes)")
            case .failure: break
            }
        }
    }
}

/// A small deterministic generator for the property test.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
