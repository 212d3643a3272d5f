import Foundation
import Logging
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle
import VigilCore
import VigilLogSources

@testable import VigilHTTP

/// Real listeners on 127.0.0.1 (ephemeral ports) feeding the real writer and an in-memory
/// SQLite database, with the senders the tests need: plain sockets, as `logger` and Graylog
/// clients write.
struct ListenerHarness {
    let storage: any StorageEngine
    let registry: PrometheusCollectorRegistry
    let ports: [String: Int]

    static func run(
        _ listeners: [LogListenerConfiguration],
        _ body: @Sendable (ListenerHarness) async throws -> Void
    ) async throws {
        let logger = Logger(label: "listener-test")
        let storage = try await Storage.open(databaseURL: "sqlite::memory:", logger: logger)
        let registry = PrometheusCollectorRegistry()
        let metrics = HelpfulMetricsFactory(registry: registry)
        let core = try CorePipeline(configuration: TestApp.configuration(), storage: storage, logger: logger, metrics: metrics)
        var services: [any Service] = [core.writer]
        var bound: [(String, AsyncStream<Int>)] = []
        for configuration in listeners {
            let intake = LogIntake(listener: configuration.name, writer: core.writer, metrics: metrics, logger: logger)
            let made = try LogListeners.make(
                configuration,
                intake: intake,
                group: MultiThreadedEventLoopGroup.singleton,
                metrics: metrics,
                logger: logger
            )
            services.append(made.service)
            bound.append((configuration.name, made.boundPorts))
        }
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var ports: [String: Int] = [:]
            for (name, stream) in bound {
                for await port in stream {
                    ports[name] = port
                    break
                }
            }
            do {
                try await body(ListenerHarness(storage: storage, registry: registry, ports: ports))
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        await storage.close()
    }

    /// Every stored event (oldest first), waiting up to 10 s for `count` of them.
    func events(count: Int) async throws -> [Event] {
        var query = EventQuery()
        query.limit = 1000
        query.order = .asc
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let items = try await self.storage.events(matching: query).items
            if items.count >= count || ContinuousClock.now > deadline { return items }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The sample's value once it reaches `value` (waiting up to 10 s: a message is visible in
    /// the database a moment before its listener counts it), else the last value read.
    func metric(_ sample: String, reaching value: Double) async throws -> Double {
        let deadline = ContinuousClock.now + .seconds(10)
        while self.metric(sample) < value, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        return self.metric(sample)
    }

    /// The value of a sample line (`name{labels}`) of the Prometheus text, or 0.
    func metric(_ sample: String) -> Double {
        let text = String(decoding: self.registry.emitToBuffer(), as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix(sample + " ") {
            return Double(line.split(separator: " ").last ?? "") ?? 0
        }
        return 0
    }

    static func sendUDP(_ datagrams: [[UInt8]], port: Int) throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(socket) }
        var address = Self.loopback(port)
        for datagram in datagrams {
            _ = datagram.withUnsafeBytes { bytes in
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(socket, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
        }
    }

    /// Opens a TCP connection; the caller writes with `sendAll` and closes it.
    static func connectTCP(port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.loopback(port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(socket)
            throw POSIXError(.ECONNREFUSED)
        }
        return socket
    }

    /// Blocking socket calls run on NIO's thread pool: on the cooperative pool they could hold
    /// the threads the listener under test needs to read what they send.
    static func sendAll(_ socket: Int32, _ bytes: [UInt8]) async throws {
        try await NIOThreadPool.singleton.runIfActive { Self.blockingSend(socket, bytes) }
    }

    static func blockingSend(_ socket: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Whether the peer closed the connection within `seconds` (a read returns 0 or fails).
    static func isClosedByPeer(_ socket: Int32, within seconds: Int = 10) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Self.blockingIsClosed(socket, seconds: seconds) }
    }

    static func blockingIsClosed(_ socket: Int32, seconds: Int) -> Bool {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var byte: UInt8 = 0
        let received = recv(socket, &byte, 1, 0)
        if received == 0 { return true }
        return received < 0 && errno != EAGAIN && errno != EWOULDBLOCK
    }

    static func loopback(_ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
