import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import VigilCore

/// A minimal SMTP submission client (RFC 5321): EHLO, STARTTLS or implicit TLS, AUTH PLAIN or
/// LOGIN, MAIL/RCPT/DATA, QUIT — one message per connection, every step bounded by the
/// conversation's timeout. Certificates are verified (system roots plus `extraTrustRoots`);
/// with `security: starttls` a server that does not offer STARTTLS is refused, never used in
/// plain text.
struct SMTPClient: Sendable {
    let group: any EventLoopGroup
    let timeout: Duration
    /// PEM files of CAs to trust besides the system's (a private mail relay's CA).
    let extraTrustRoots: [String]
    let destinations: DestinationPolicy

    /// Sends `message` (complete, CRLF line endings) and returns the server's final code. The
    /// server's host is resolved and checked by `destinations` first.
    func send(_ message: String, from: String, to recipients: [String], settings: EmailSettings) async throws(SMTPFailure) -> Int {
        do {
            return try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask { try await self.converse(message, from: from, to: recipients, settings: settings) }
                group.addTask {
                    try await Task.sleep(for: self.timeout)
                    throw SMTPFailure.timeout
                }
                defer { group.cancelAll() }
                guard let code = try await group.next() else { throw SMTPFailure.timeout }
                return code
            }
        } catch let failure as SMTPFailure {
            throw failure
        } catch let refusal as DestinationPolicy.Refusal {
            throw .destination(refusal)
        } catch is CancellationError {
            throw .timeout
        } catch {
            let type = String(describing: Swift.type(of: error))
            throw type.contains("SSL") || type.contains("TLS") || type.contains("Certificate") ? .tlsFailed : .connectionFailed
        }
    }

    private func converse(_ message: String, from: String, to recipients: [String], settings: EmailSettings) async throws -> Int {
        let tls = try self.tlsContext()
        let serverName = Self.serverName(settings.host)
        let implicitTLS = settings.security == .tls
        let tally = ReplyTally()
        // Connects to the addresses the policy checked, not to the name again.
        let addresses = try await self.destinations.addresses(of: settings.host, port: settings.port)
        var connected: NIOAsyncChannel<SMTPReply, ByteBuffer>?
        for address in addresses where connected == nil {
            connected = try? await ClientBootstrap(group: self.group)
                .connectTimeout(.seconds(10))
                .connect(to: address) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if implicitTLS {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                        }
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder(tally: tally)))
                        return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        }
        guard let channel = connected else { throw SMTPFailure.connectionFailed }
        let underlying = channel.channel
        return try await channel.executeThenClose { inbound, outbound in
            var replies = inbound.makeAsyncIterator()
            var consumed = 0
            func expect(_ command: String, _ accepted: ClosedRange<Int>) async throws -> SMTPReply {
                guard let reply = try await replies.next() else { throw SMTPFailure.closed }
                consumed += 1
                guard accepted.contains(reply.code) else { throw SMTPFailure.rejected(code: reply.code, command: command) }
                return reply
            }
            func command(_ line: String, _ name: String, _ accepted: ClosedRange<Int> = 200...299) async throws -> SMTPReply {
                try await outbound.write(ByteBuffer(string: line + "\r\n"))
                return try await expect(name, accepted)
            }
            _ = try await expect("connect", 220...220)
            var extensions = try await command("EHLO \(Self.heloName)", "EHLO").lines.dropFirst().map { $0.uppercased() }
            if settings.security == .starttls {
                guard extensions.contains(where: { $0.hasPrefix("STARTTLS") }) else { throw SMTPFailure.noStartTLS }
                _ = try await command("STARTTLS", "STARTTLS", 220...220)
                let read = consumed
                try await underlying.eventLoop.submit {
                    // Anything the server sent after its 220 came before TLS and would be read
                    // as a reply from inside it (a man in the middle forging 250s): refuse.
                    guard tally.isSettled(consumed: read) else { throw SMTPFailure.plaintextAfterStartTLS }
                    try underlying.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName), position: .first)
                }.get()
                // Everything the server said before TLS is forgotten (RFC 3207 §4.2).
                extensions = try await command("EHLO \(Self.heloName)", "EHLO").lines.dropFirst().map { $0.uppercased() }
            }
            if let username = settings.username, let password = settings.password {
                let mechanisms = Set(
                    extensions.filter { $0.hasPrefix("AUTH") }.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "=" }).dropFirst() }
                )
                if mechanisms.contains("PLAIN") {
                    let token = Data(Array("\0\(username)\0\(password)".utf8)).base64EncodedString()
                    _ = try await command("AUTH PLAIN \(token)", "AUTH")
                } else if mechanisms.contains("LOGIN") {
                    _ = try await command("AUTH LOGIN", "AUTH", 334...334)
                    _ = try await command(Data(username.utf8).base64EncodedString(), "AUTH", 334...334)
                    _ = try await command(Data(password.utf8).base64EncodedString(), "AUTH")
                } else {
                    throw SMTPFailure.noAuth
                }
            }
            _ = try await command("MAIL FROM:<\(from)>", "MAIL FROM")
            for recipient in recipients { _ = try await command("RCPT TO:<\(recipient)>", "RCPT TO") }
            _ = try await command("DATA", "DATA", 354...354)
            try await outbound.write(ByteBuffer(string: Self.dotStuffed(message) + ".\r\n"))
            let accepted = try await expect("DATA", 200...299)
            // The message is accepted; a failed goodbye changes nothing.
            try? await outbound.write(ByteBuffer(string: "QUIT\r\n"))
            _ = try? await replies.next()
            return accepted.code
        }
    }

    private func tlsContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.additionalTrustRoots = self.extraTrustRoots.map { .file($0) }
        return try NIOSSLContext(configuration: configuration)
    }

    /// SNI names are host names only; for an address literal the certificate is checked
    /// against the address.
    static func serverName(_ host: String) -> String? {
        (try? SocketAddress(ipAddress: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: 0)) == nil ? host : nil
    }

    static let heloName: String = {
        let name = ProcessInfo.processInfo.hostName
        let valid = !name.isEmpty && name.count <= 253 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
        return valid ? name : "localhost"
    }()

    /// CRLF line endings, a final CRLF, and every line that starts with "." doubled (RFC
    /// 5321 §4.5.2) so no line can end the DATA early.
    static func dotStuffed(_ message: String) -> String {
        var lines = message.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        return lines.map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n") + "\r\n"
    }
}
