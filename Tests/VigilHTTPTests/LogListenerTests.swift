import CompressNIO
import Foundation
import NIOCore
import Testing
import VigilCore
import VigilLogSources

@testable import VigilHTTP

/// The listeners over real sockets into the real writer and database: what arrives is stored
/// with `ingested_by` naming the listener; junk is counted and never stops later messages.
@Suite struct LogListenerTests {
    static func listener(_ format: LogListenerConfiguration.Format, _ transport: LogListenerConfiguration.Transport) -> LogListenerConfiguration {
        LogListenerConfiguration(format: format, transport: transport, host: "127.0.0.1", port: 0)
    }

    @Test func syslogOverUDPIsStoredAndJunkIsCountedByReason() async throws {
        try await ListenerHarness.run([Self.listener(.syslog, .udp)]) { harness in
            let port = try #require(harness.ports["syslog-udp"])
            try ListenerHarness.sendUDP(
                [
                    Array("<38>Dec  5 16:59:58 bastion sshd[7]: Failed password for root from 203.0.113.9 port 1 ssh2".utf8),
                    Array("no priority".utf8), [0x3C, 0x31, 0x3E, 0xFF, 0xFE], Array("<13>".utf8),
                    Array("<13>1 2026-12-05T16:00:00Z web-1 app - - - after the junk".utf8),
                ],
                port: port
            )
            let events = try await harness.events(count: 2).sorted { $0.type < $1.type }
            #expect(events.map(\.type) == ["auth.login.failed", "syslog.message"])
            #expect(events.allSatisfy { $0.ingestedBy == "listener:syslog-udp" })
            #expect(events[0].ip == "203.0.113.9" && events[1].description == "after the junk")
            #expect(try await harness.metric(#"vigil_log_messages_total{listener="syslog-udp"}"#, reaching: 2) == 2)
            for reason in ["bad_priority", "invalid_utf8", "empty"] {
                #expect(harness.metric(#"vigil_log_messages_rejected_total{listener="syslog-udp",reason="\#(reason)"}"#) == 1, "\(reason)")
            }
        }
    }

    @Test func junkOnTheTCPPortDoesNotStopLaterMessages() async throws {
        try await ListenerHarness.run([Self.listener(.syslog, .tcp)]) { harness in
            let port = try #require(harness.ports["syslog-tcp"])
            // One connection: a line of binary junk, an oversized octet-counted frame and an
            // oversized line, then good frames of both framings.
            let first = try ListenerHarness.connectTCP(port: port)
            var junk: [UInt8] = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }.filter { $0 != 0x0A } + [0x0A]
            junk += Array("70000 ".utf8) + Array(repeating: 0x42, count: 70_000) + [0x0A] + Array(repeating: 0x43, count: 70_000) + [0x0A]
            try await ListenerHarness.sendAll(first, junk)
            try await ListenerHarness.sendAll(first, Array("22 <13>app: octet counted<13>app: line framed\n".utf8))
            // A second connection, opened after the junk, closes without a final LF.
            let second = try ListenerHarness.connectTCP(port: port)
            try await ListenerHarness.sendAll(second, Array("<13>app: last one".utf8))
            close(second)
            let events = try await harness.events(count: 3)
            #expect(Set(events.compactMap(\.description)) == ["octet counted", "line framed", "last one"])
            #expect(harness.metric(#"vigil_log_messages_rejected_total{listener="syslog-tcp",reason="oversize"}"#) == 2)
            #expect(harness.metric(#"vigil_log_messages_rejected_total{listener="syslog-tcp",reason="invalid_utf8"}"#) == 1)
            #expect(try await !ListenerHarness.isClosedByPeer(first, within: 1), "junk does not cost the sender its connection")
            close(first)
        }
    }

    @Test func sendersOutsideTheAllowListAndOverTheConnectionLimitAreRefused() async throws {
        var closed = Self.listener(.syslog, .tcp)
        closed.allowedNetworks = [CIDRRange("10.0.0.0/8")!]
        var limited = Self.listener(.gelf, .tcp)
        limited.maxConnectionsPerPeer = 2
        try await ListenerHarness.run([closed, limited]) { harness in
            let refused = try ListenerHarness.connectTCP(port: try #require(harness.ports["syslog-tcp"]))
            try await ListenerHarness.sendAll(refused, Array("<13>app: not for you\n".utf8))
            #expect(try await ListenerHarness.isClosedByPeer(refused))
            close(refused)
            let port = try #require(harness.ports["gelf-tcp"])
            let open = try (0..<2).map { _ in try ListenerHarness.connectTCP(port: port) }
            let deadline = ContinuousClock.now + .seconds(10)
            while harness.metric(#"vigil_log_connections{listener="gelf-tcp"}"#) < 2, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            let third = try ListenerHarness.connectTCP(port: port)
            #expect(try await ListenerHarness.isClosedByPeer(third))
            close(third)
            for socket in open {
                try await ListenerHarness.sendAll(socket, Array(#"{"version":"1.1","host":"h","short_message":"still served"}"#.utf8) + [0])
            }
            let events = try await harness.events(count: 2)
            #expect(events.map(\.description) == ["still served", "still served"] && events[0].ingestedBy == "listener:gelf-tcp")
            #expect(harness.metric(#"vigil_log_senders_refused_total{listener="syslog-tcp",reason="not_allowed"}"#) == 1)
            #expect(harness.metric(#"vigil_log_senders_refused_total{listener="gelf-tcp",reason="connection_limit"}"#) == 1)
            for socket in open { close(socket) }
        }
    }

    @Test func gelfOverUDPTakesChunkedAndCompressedMessages() async throws {
        try await ListenerHarness.run([Self.listener(.gelf, .udp)]) { harness in
            let port = try #require(harness.ports["gelf-udp"])
            let big = #"{"version":"1.1","host":"app-1","short_message":"chunked","_pad":"\#(String(repeating: "p", count: 20_000))"}"#
            var gzip = ByteBuffer(string: #"{"version":"1.1","host":"app-2","short_message":"gzipped","level":3}"#)
            let compressed = Array(try gzip.compress(with: .gzip()).readableBytesView)
            let bytes = Array(big.utf8)
            let chunks = stride(from: 0, to: bytes.count, by: 8000).enumerated().map { index, start in
                GELFChunkAssembler.magic + [0, 0, 0, 0, 0, 0, 0, 42, UInt8(index), 3] + bytes[start..<min(start + 8000, bytes.count)]
            }
            try ListenerHarness.sendUDP([chunks[2], chunks[0], compressed, chunks[1], Array("{not gelf".utf8)], port: port)
            let events = try await harness.events(count: 2)
            #expect(Set(events.compactMap(\.description)) == ["chunked", "gzipped"])
            #expect(events.first { $0.description == "gzipped" }?.severity == .high)
            #expect(harness.metric(#"vigil_log_messages_rejected_total{listener="gelf-udp",reason="invalid_gelf"}"#) == 1)
        }
    }
}
