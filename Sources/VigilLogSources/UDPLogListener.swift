import Logging
import Metrics
import NIOCore
import NIOPosix
import ServiceLifecycle
import VigilCore

/// Syslog or GELF over UDP. At most once by nature: a datagram the kernel or a full queue
/// drops is gone (the latter counted as `overloaded`). Datagrams are parsed as they arrive and
/// committed in batches (`LogBatcher`) while the socket keeps being read.
public final class UDPLogListener: Service, Sendable {
    let configuration: LogListenerConfiguration
    let intake: LogIntake
    let group: any EventLoopGroup
    let logger: Logger
    let metrics: LogListenerMetrics
    let bound: AsyncStream<Int>.Continuation
    /// The port once bound (port 0 binds an ephemeral one); for tests and the startup log.
    public let boundPorts: AsyncStream<Int>

    public init(configuration: LogListenerConfiguration, intake: LogIntake, group: any EventLoopGroup, metrics: any MetricsFactory, logger: Logger) {
        self.configuration = configuration
        self.intake = intake
        self.group = group
        self.logger = logger
        self.metrics = LogListenerMetrics(listener: configuration.name, factory: metrics)
        (self.boundPorts, self.bound) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
    }

    public func run() async throws {
        let channel = try await DatagramBootstrap(group: self.group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            // Room for the largest datagram, so an oversized message is seen whole and refused.
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
            .channelOption(.maxMessagesPerRead, value: 64)
            .bind(host: self.configuration.host, port: self.configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(wrappingChannelSynchronously: channel)
                }
            }
        // A larger kernel buffer absorbs bursts while a batch commits (the kernel caps it at rmem_max).
        try? await channel.channel.setOption(.socketOption(.so_rcvbuf), value: 8 * 1024 * 1024)
        let port = channel.channel.localAddress?.port ?? self.configuration.port
        self.bound.yield(port)
        self.logger.info("log listener ready", metadata: ["listener": "\(self.configuration.name)", "port": "\(port)"])
        let batcher = LogBatcher()
        try await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await batcher.run(into: self.intake) }
                do {
                    try await channel.executeThenClose { inbound, _ in
                        try await self.receive(inbound, into: batcher)
                    }
                } catch {
                    self.logger.error("log listener stopped", metadata: ["listener": "\(self.configuration.name)", "error": "\(error)"])
                }
                batcher.finish()
            }
        } onGracefulShutdown: {
            channel.channel.close(promise: nil)
        }
    }

    private func receive(_ inbound: NIOAsyncChannelInboundStream<AddressedEnvelope<ByteBuffer>>, into batcher: LogBatcher) async throws {
        let reader = LogMessageReader(format: self.configuration.format)
        var chunks = GELFChunkAssembler()
        var lastExpiry = Timestamp.now()
        for try await envelope in inbound {
            let now = Timestamp.now()
            let peer = envelope.remoteAddress
            guard let address = peer.peerAddress, self.configuration.allows(address) else {
                self.metrics.refusedNotAllowed.increment()
                continue
            }
            var bytes = Array(envelope.data.readableBytesView)
            if self.configuration.format == .gelf {
                if now.microseconds - lastExpiry.microseconds > 1_000_000 {
                    self.intake.reject(.incompleteChunks, count: chunks.expire(now: now))
                    lastExpiry = now
                }
                if GELFChunkAssembler.isChunk(bytes) {
                    switch chunks.add(bytes, now: now) {
                    case .success(let whole?): bytes = whole
                    case .success(nil): continue
                    case .failure(let reason):
                        self.intake.reject(reason)
                        continue
                    }
                }
            }
            switch reader.draft(bytes, peer: peer.logPeer, receivedAt: now) {
            case .success(let draft):
                if !batcher.offer(draft, bytes: bytes.count) { self.intake.reject(.overloaded) }
            case .failure(let reason):
                self.intake.reject(reason)
            }
        }
    }
}
