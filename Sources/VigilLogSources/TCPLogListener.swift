import Logging
import Metrics
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import VigilCore

/// Syslog (RFC 6587 framing) or GELF (NUL-delimited) over TCP, optionally with TLS.
///
/// What a sender can rely on: syslog over TCP has no acknowledgements, so a message is safe
/// only once committed. Each connection parses into its own `LogBatcher`, which commits while
/// the next messages are read; when `perConnectionBacklog` messages (or 1 MiB) wait, the connection is not
/// read until a commit makes room, so a backlog stays in the sender's socket (TCP pushes back)
/// rather than in Vigil's memory. A graceful shutdown stops accepting, commits what was read
/// and then closes. A crash or kill loses what was read but not yet committed (at most
/// `perConnectionBacklog` messages or `perConnectionBacklogBytes` per connection) and whatever sat
/// in the kernel's buffers.
public final class TCPLogListener: Service, Sendable {
    let configuration: LogListenerConfiguration
    let intake: LogIntake
    let group: any EventLoopGroup
    let tls: NIOSSLContext?
    let logger: Logger
    let metrics: LogListenerMetrics
    let connections: PeerConnections
    let bound: AsyncStream<Int>.Continuation
    public let boundPorts: AsyncStream<Int>
    /// How long a full writer queue is waited out (the sender is not read meanwhile) before
    /// the batch is dropped and counted as `overloaded`.
    static let overloadPatience: Duration = .seconds(10)
    /// Messages (and bytes of them) read from one connection and not yet committed, at most.
    public static let perConnectionBacklog = 2_000
    public static let perConnectionBacklogBytes = 1024 * 1024

    /// Loads the TLS certificate and key now, so a bad file stops startup with its name.
    public init(
        configuration: LogListenerConfiguration,
        intake: LogIntake,
        group: any EventLoopGroup,
        metrics: any MetricsFactory,
        logger: Logger
    ) throws {
        self.configuration = configuration
        self.intake = intake
        self.group = group
        self.logger = logger
        self.metrics = LogListenerMetrics(listener: configuration.name, factory: metrics)
        self.connections = PeerConnections(perPeer: configuration.maxConnectionsPerPeer, total: configuration.maxConnections)
        if case .tls(let certificateFile, let keyFile, let clientCAFile) = configuration.transport {
            var tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
            )
            tls.minimumTLSVersion = .tlsv12
            if let clientCAFile {
                // Senders are machines without a host name to check: the chain is what counts.
                tls.certificateVerification = .noHostnameVerification
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCAFile))
            }
            self.tls = try NIOSSLContext(configuration: tls)
        } else {
            self.tls = nil
        }
        (self.boundPorts, self.bound) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
    }

    public func run() async throws {
        let configuration = self.configuration
        let tls = self.tls
        let server = try await ServerBootstrap(group: self.group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    // No TLS handshake for a sender the allow-list refuses; `serve` closes it.
                    let allowed = channel.remoteAddress?.peerAddress.map(configuration.allows) ?? false
                    if let tls, allowed { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    // The address is taken now: a sender that closes at once has none by the
                    // time the connection is served.
                    return Accepted(channel: try NIOAsyncChannel(wrappingChannelSynchronously: channel), remote: channel.remoteAddress)
                }
            }
        let port = server.channel.localAddress?.port ?? configuration.port
        self.bound.yield(port)
        self.logger.info("log listener ready", metadata: ["listener": "\(configuration.name)", "port": "\(port)"])
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await accepted in inbound {
                        group.addTask { await self.serve(accepted.channel, remote: accepted.remote) }
                    }
                }
                // Closed by the shutdown: connections end after the batch they are committing.
                group.cancelAll()
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
    }

    struct Accepted: Sendable {
        let channel: NIOAsyncChannel<ByteBuffer, Never>
        let remote: SocketAddress?
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, Never>, remote: SocketAddress?) async {
        guard let address = remote?.peerAddress, self.configuration.allows(address) else {
            self.metrics.refusedNotAllowed.increment()
            try? await connection.channel.close()
            return
        }
        guard self.connections.acquire(address) else {
            self.metrics.refusedLimit.increment()
            try? await connection.channel.close()
            return
        }
        self.metrics.connections.record(self.connections.count)
        defer {
            self.connections.release(address)
            self.metrics.connections.record(self.connections.count)
        }
        let peer = remote?.logPeer
        let batcher = LogBatcher(
            capacity: Self.perConnectionBacklog,
            maxBatch: Self.perConnectionBacklog,
            maxBytes: Self.perConnectionBacklogBytes
        )
        await withDiscardingTaskGroup { group in
            group.addTask { await batcher.run(into: self.intake, overloadPatience: Self.overloadPatience) }
            do {
                try await connection.executeThenClose { inbound, _ in
                    try await self.read(inbound, peer: peer, into: batcher)
                }
            } catch {
                self.logger.debug(
                    "log connection ended",
                    metadata: ["listener": "\(self.configuration.name)", "peer": "\(peer ?? "?")", "error": "\(error)"]
                )
            }
            batcher.finish()
        }
    }

    private func read(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>, peer: String?, into batcher: LogBatcher) async throws {
        let reader = LogMessageReader(format: self.configuration.format)
        var frames = LogFrameDecoder(
            framing: self.configuration.format == .syslog ? .syslog : .nulDelimited,
            maxFrameBytes: self.configuration.maxMessageBytes
        )
        // What was read is committed even when the stream ends in an error (a reset after the
        // sender's last write).
        do {
            for try await buffer in inbound {
                await batcher.offerWaiting(self.drafts(frames.feed(buffer.readableBytesView), reader: reader, peer: peer))
                if Task.isCancelled { break }
            }
        } catch {
            await batcher.offerWaiting(self.drafts(frames.finish(), reader: reader, peer: peer))
            throw error
        }
        await batcher.offerWaiting(self.drafts(frames.finish(), reader: reader, peer: peer))
    }

    /// The frames' drafts with their message sizes; frames that are not messages are counted by reason.
    private func drafts(_ frames: [LogFrameDecoder.Frame], reader: LogMessageReader, peer: String?) -> [(draft: LogEventDraft, bytes: Int)] {
        let now = Timestamp.now()
        var drafts: [(draft: LogEventDraft, bytes: Int)] = []
        for frame in frames {
            switch frame {
            case .message(let bytes):
                switch reader.draft(bytes, peer: peer, receivedAt: now) {
                case .success(let draft): drafts.append((draft, bytes.count))
                case .failure(let reason): self.intake.reject(reason)
                }
            case .rejected(let reason):
                self.intake.reject(reason)
            }
        }
        return drafts
    }
}
