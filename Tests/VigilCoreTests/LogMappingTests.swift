import Foundation
import Testing

@testable import VigilCore

/// What a syslog, CEF or GELF message becomes (the README's mapping table), and the decoders.
@Suite struct LogMappingTests {
    static let now = Timestamp(rfc3339: "2026-12-05T17:00:00Z")!

    static func event(_ text: String, peer: String? = "192.0.2.7:40000") throws -> NewEvent {
        let message = try SyslogParser.parse(Array(text.utf8), receivedAt: now).get()
        return try message.draft(peer: peer).newEvent(now: now).get()
    }

    static func details(_ event: NewEvent) throws -> [String: JSONValue] {
        guard case .object(let fields) = try JSONParser.parse(Array(event.details.utf8)) else { throw CancellationError() }
        return fields
    }

    @Test func syslogHeaderFieldsBecomeECSNamedDetails() throws {
        let event = try Self.event(#"<165>1 2026-12-05T16:00:00.5Z web-1 nginx 812 ACCESS [origin ip="10.0.0.9"] GET /admin 403"#)
        #expect(event.type == "syslog.message" && event.severity == .low && event.source == "nginx")
        #expect(event.occurredAt == Timestamp(rfc3339: "2026-12-05T16:00:00.5Z") && event.description == "GET /admin 403")
        let details = try Self.details(event)
        #expect(details["host.hostname"] == .string("web-1") && details["log.syslog.facility.name"] == .string("local4"))
        #expect(details["log.syslog.facility.code"] == .int(20) && details["log.syslog.severity.name"] == .string("notice"))
        #expect(details["log.syslog.procid"] == .string("812") && details["process.pid"] == .int(812))
        #expect(details["log.syslog.msgid"] == .string("ACCESS") && details["log.source.address"] == .string("192.0.2.7:40000"))
        #expect(details["log.syslog.structured_data"] == .object(["origin": .object(["ip": .string("10.0.0.9")])]))
        // Severities 0-2 are critical, 3 high, 4 medium, 5 low, 6-7 info.
        let grades = try (0...7).map { try Self.event("<\(8 + $0)>app: x").severity }
        #expect(grades == [.critical, .critical, .critical, .high, .medium, .low, .info, .info])
    }

    @Test func cefFillsTypeSourceAddressActorAndOutcome() throws {
        let event = try Self.event(
            #"<134>Dec  5 16:59:00 fw1 CEF:0|Palo Alto|PAN-OS|10.1|threat-9|Port scan detected|8|src=203.0.113.5 spt=4444 dst=10.0.0.1 dpt=22 suser=mallory act=blocked proto=TCP msg=many ports cs1Label=zone cs1=dmz"#
        )
        #expect(event.type == "cef.threat-9" && event.severity == .high && event.source == "Palo Alto PAN-OS")
        #expect(event.description == "Port scan detected" && event.ip?.text == "203.0.113.5" && event.actor == "mallory")
        #expect(event.outcome == .failure)
        let details = try Self.details(event)
        #expect(details["source.ip"] == .string("203.0.113.5") && details["source.port"] == .int(4444) && details["destination.port"] == .int(22))
        #expect(details["event.action"] == .string("blocked") && details["network.transport"] == .string("TCP"))
        #expect(details["observer.vendor"] == .string("Palo Alto") && details["event.code"] == .string("threat-9"))
        guard case .object(let extensions)? = details["cef.extensions"] else { throw CancellationError() }
        #expect(extensions["cs1"] == .string("dmz") && extensions["msg"] == .string("many ports") && extensions.count == 10)
        // A signature id with characters a type may not hold is made safe; severity words count.
        let odd = try Self.event("<134>CEF:0|V|P|1|sig 7/a|Name|Very-High|outcome=success")
        #expect(odd.type == "cef.sig_7_a" && odd.severity == .critical && odd.outcome == .success)
    }

    @Test func sshdLinesBecomeLoginEvents() throws {
        let failed = try Self.event("<38>Dec  5 16:59:58 bastion sshd[4242]: Failed password for root from 203.0.113.9 port 52122 ssh2")
        #expect(failed.type == "auth.login.failed" && failed.actor == "root" && failed.ip?.text == "203.0.113.9" && failed.outcome == .failure)
        #expect(try Self.details(failed)["source.port"] == .int(52122))
        let invalid = try Self.event("<38>sshd[1]: Failed password for invalid user admin tools from 2001:db8::5 port 22 ssh2")
        #expect(invalid.type == "auth.login.failed" && invalid.actor == "admin tools" && invalid.ip?.text == "2001:db8::5")
        #expect(try Self.details(invalid)["event.reason"] == .string("invalid_user"))
        let accepted = try Self.event("<38>sshd[1]: Accepted publickey for alice from 10.0.0.4 port 5000 ssh2: ED25519 SHA256:abc")
        #expect(accepted.type == "auth.login.succeeded" && accepted.actor == "alice" && accepted.outcome == .success)
        #expect(try Self.details(accepted)["ssh.auth_method"] == .string("publickey"))
        // The notice sshd logs before the attempt's own line is not a second failed login.
        let notice = try Self.event("<38>sshd[1]: Invalid user oracle from 203.0.113.9 port 4000")
        #expect(notice.type == "auth.login.invalid_user" && notice.actor == "oracle")
        // Other programs' look-alikes are not decoded.
        #expect(try Self.event("<38>myapp: Failed password for root from 203.0.113.9 port 1 ssh2").type == "syslog.message")
        #expect(try Self.event("<38>sshd[1]: Failed password for root from nowhere port 1 ssh2").type == "syslog.message")
    }

    @Test func sudoAndNetfilterLines() throws {
        let sudo = try Self.event("<85>sudo: alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/cat /etc/shadow")
        #expect(sudo.type == "privilege.sudo" && sudo.actor == "alice" && sudo.outcome == .success)
        let details = try Self.details(sudo)
        #expect(details["user.target.name"] == .string("root") && details["process.command_line"] == .string("/usr/bin/cat /etc/shadow"))
        let refused = try Self.event("<81>sudo: mallory : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/sh")
        #expect(try refused.outcome == .failure && Self.details(refused)["event.reason"] == .string("3 incorrect password attempts"))
        let packet = try Self.event(
            "<4>Dec  5 16:00:00 gw kernel: [ 8123.456789] [UFW BLOCK] IN=eth0 OUT= MAC=00:11 SRC=198.51.100.3 DST=10.0.0.2 LEN=60 TOS=0x00 TTL=52 ID=1 DF PROTO=TCP SPT=51000 DPT=3389 WINDOW=64240 RES=0x00 SYN URGP=0"
        )
        #expect(packet.type == "firewall.packet" && packet.ip?.text == "198.51.100.3" && packet.outcome == .failure)
        let fields = try Self.details(packet)
        #expect(
            fields["destination.port"] == .int(3389) && fields["network.transport"] == .string("tcp") && fields["rule.name"] == .string("[UFW BLOCK]")
        )
        #expect(fields["observer.ingress.interface.name"] == .string("eth0") && fields["netfilter.flags"] == .array([.string("DF"), .string("SYN")]))
    }

    @Test func gelfFieldsAndDecoders() throws {
        let json =
            #"{"version":"1.1","host":"app-3","short_message":"disk full","full_message":"trace…","timestamp":1796486400.25,"level":2,"_user_id":42,"_id":"x","file":"a.c","line":7}"#
        let event = try GELFMessage.draft(json: Array(json.utf8), peer: nil).get().newEvent(now: Self.now).get()
        #expect(event.type == "gelf.message" && event.source == "app-3" && event.severity == .critical && event.description == "disk full")
        #expect(event.occurredAt == Timestamp(microseconds: 1_796_486_400_250_000))
        let details = try Self.details(event)
        #expect(details["gelf.user_id"] == .int(42) && details["gelf.id"] == nil && details["message"] == .string("trace…"))
        #expect(details["log.origin.file.line"] == .int(7) && details["host.hostname"] == .string("app-3"))
        let ssh = #"{"version":"1.1","host":"b","short_message":"Failed password for root from 203.0.113.9 port 1 ssh2","_SYSLOG_IDENTIFIER":"sshd"}"#
        #expect(try GELFMessage.draft(json: Array(ssh.utf8), peer: nil).get().type == "auth.login.failed")
        for bad in [#"[1]"#, #"{"host":"a","short_message":"b"}"#, #"{"version":"1.1","short_message":"b"}"#, "not json"] {
            #expect(GELFMessage.draft(json: Array(bad.utf8), peer: nil) == .failure(.invalidGELF))
        }
    }

    /// Whatever a sender puts in a message, the event is within the API's limits rather than refused.
    @Test func oversizedFieldsAreCutNotRefused() throws {
        let long = String(repeating: "é", count: 5000)
        let event = try Self.event("<13>app: " + long)
        #expect(try event.description?.utf8.count == 4096 && Self.details(event)["message"] == .string(long))
        // A message beyond what `details` holds keeps as much of itself as fits.
        let huge64 = String(repeating: "ab\"", count: 20_000)
        let cut = try Self.event("<13>app: " + huge64)
        #expect(cut.details.utf8.count <= NewEvent.maxDetailsBytes)
        guard case .string(let cutMessage)? = try Self.details(cut)["message"] else { throw CancellationError() }
        #expect(cutMessage.utf8.count > 20_000 && huge64.hasPrefix(cutMessage))
        let params = (0..<400).map { "p\($0)=\"\(String(repeating: "x", count: 120))\"" }.joined(separator: " ")
        let huge = try Self.event("<13>1 - h app - - [big \(params)] m")
        #expect(huge.details.utf8.count <= NewEvent.maxDetailsBytes)
        let kept = try Self.details(huge)
        #expect(kept["log.syslog.structured_data"] == nil && kept["vigil.details_truncated"] == .bool(true) && kept["host.hostname"] == .string("h"))
        let future = try Self.event("<13>1 2030-01-01T00:00:00Z h app - - - later")
        #expect(try future.occurredAt == nil && Self.details(future)["event.original_time"] == .string("2030-01-01T00:00:00.000000Z"))
        let nul = LogEventDraft(type: "x y", description: "a", details: ["k\u{0}": .string("v\u{0}")])
        let cleaned = try nul.newEvent(now: Self.now).get()
        #expect(cleaned.type == "x_y" && !cleaned.details.contains("\\u0000"))
    }
}
