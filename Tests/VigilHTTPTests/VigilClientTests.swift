import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import Testing
import VigilClient

@testable import VigilHTTP

/// The Swift client (`VigilClient`) against the real application on a real port: the same
/// behaviour as the Python client's end-to-end tests.
@Suite struct VigilClientTests {
    static let quiet = Logger(label: "vigil-client-test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs the app live, makes an API key, and gives `body` its URL and secret.
    static func withVigil(
        _ configuration: AppConfiguration = TestApp.configuration(),
        _ body: @Sendable (_ url: String, _ key: String) async throws -> Void
    ) async throws {
        try await TestApp.run(configuration, setup: .live) { client in
            let admin = try await client.adminToken()
            let made = try await client.request(
                .post,
                "/api/v1/api-keys",
                token: admin,
                json: #"{"name":"svc","scopes":["events:write","events:read"]}"#
            )
            let key = try #require(try made.object()["secret"] as? String)
            try await body("http://127.0.0.1:\(try #require(client.port))", key)
        }
    }

    static func configuration(_ adjust: (inout VigilClient.Configuration) -> Void = { _ in }) -> VigilClient.Configuration {
        var configuration = VigilClient.Configuration()
        configuration.backoffBase = .milliseconds(20)
        configuration.flushInterval = .milliseconds(50)
        adjust(&configuration)
        return configuration
    }

    /// Runs the client's sender for the duration of `body`, then shuts it down gracefully;
    /// returns how long the shutdown took.
    @discardableResult
    static func running(_ client: VigilClient, _ body: () async throws -> Void) async throws -> Duration {
        let group = ServiceGroup(services: [client], logger: quiet)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await body()
            let shutdown = ContinuousClock.now
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return ContinuousClock.now - shutdown
        }
    }

    /// Polls `condition` every 10 ms for up to `timeout`; whether it became true.
    static func eventually(within timeout: Duration, _ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    static func all(_ client: VigilClient, _ query: VigilEventQuery) async throws -> [VigilStoredEvent] {
        var events: [VigilStoredEvent] = []
        for try await event in client.query(query) { events.append(event) }
        return events
    }

    @Test func batchesAndEveryQueryPage() async throws {
        try await Self.withVigil { url, key in
            let client = VigilClient(url: url, apiKey: key, configuration: Self.configuration { $0.maxBatch = 300 }, logger: Self.quiet)
            let events = (0..<1_200).map { VigilClientEvent(type: "svc.job", actor: "worker", details: ["n": .number(Double($0))]) }
            try await Self.running(client) {
                let queued = try client.send(events)
                #expect(queued == 1_200)
                #expect(await client.flush(timeout: .seconds(30)))
            }
            #expect(client.stats.sent == 1_200 && client.stats.duplicates == 0 && client.stats.queued == 0)
            let stored = try await Self.all(client, VigilEventQuery(type: "svc.*", order: "asc", pageSize: 500))
            // Every event once, across three pages, oldest first.
            #expect(stored.count == 1_200 && Set(stored.map(\.id)) == Set(events.map { $0.id.uuidString.lowercased() }))
            #expect(zip(stored, stored.dropFirst()).allSatisfy { $0.occurredAt <= $1.occurredAt })
            #expect(stored.allSatisfy { $0.ingestedBy == "apikey:svc" })
            #expect(events.allSatisfy { $0.id.uuidString.lowercased().dropFirst(14).hasPrefix("7") })
        }
    }

    @Test func aRetryWithTheSameIdIsStoredOnce() async throws {
        try await Self.withVigil { url, key in
            let client = VigilClient(url: url, apiKey: key, configuration: Self.configuration(), logger: Self.quiet)
            let event = VigilClientEvent(type: "svc.retry", actor: "worker")
            try await Self.running(client) {
                try client.send(event)
                #expect(await client.flush(timeout: .seconds(10)))
                try client.send(event)  // what a retry after a lost answer sends
                #expect(await client.flush(timeout: .seconds(10)))
            }
            #expect(client.stats.sent == 1 && client.stats.duplicates == 1)
            #expect(try await Self.all(client, VigilEventQuery(type: "svc.retry")).count == 1)
        }
    }

    @Test func typedErrorsCarryTheProblemCode() async throws {
        try await Self.withVigil { url, key in
            let client = VigilClient(url: url, apiKey: key, logger: Self.quiet)
            let invalid = await #expect(throws: VigilClientError.self) {
                try await client.post(VigilClientEvent(type: "bad type", severity: "extreme"))
            }
            #expect(invalid?.status == 400 && invalid?.code == "validation_failed")
            #expect(Set(invalid?.errors.map(\.field) ?? []) == ["type", "severity"])
            let stored = try await client.post(VigilClientEvent(type: "svc.ok"))
            let conflict = await #expect(throws: VigilClientError.self) {
                try await client.post(VigilClientEvent(type: "svc.other", id: try #require(UUID(uuidString: stored.id))))
            }
            #expect(conflict?.code == "id_conflict")
            let missing = await #expect(throws: VigilClientError.self) { try await client.event(id: UUID().uuidString) }
            #expect(missing?.code == "not_found")
            // An id from elsewhere stays one path segment: Vigil answers for the events route.
            let hostile = await #expect(throws: VigilClientError.self) { try await client.event(id: "../api-keys?x=1 y") }
            #expect(hostile?.status == 404 || hostile?.status == 400, "\(String(describing: hostile))")
            // Non-ASCII filter text round-trips.
            _ = try await client.post(VigilClientEvent(type: "svc.named", actor: "zoë"))
            #expect(try await Self.all(client, VigilEventQuery(actor: "zoë")).map(\.actor) == ["zoë"])
            let stranger = VigilClient(url: url, apiKey: "vgl_" + String(repeating: "0", count: 40), logger: Self.quiet)
            let unknown = await #expect(throws: VigilClientError.self) { try await stranger.post(VigilClientEvent(type: "svc.x")) }
            #expect(unknown?.status == 401 && unknown?.code == "unauthenticated")
        }
    }

    @Test func refusedEventsCostNoOtherEvent() async throws {
        try await Self.withVigil { url, key in
            let client = VigilClient(url: url, apiKey: key, configuration: Self.configuration(), logger: Self.quiet)
            let earlier = try await client.post(VigilClientEvent(type: "svc.doc"))
            var events = (0..<10).map { VigilClientEvent(type: "svc.doc", details: ["n": .number(Double($0))]) }
            events[3].ip = "not-an-address"
            events[7].id = try #require(UUID(uuidString: earlier.id))
            try await Self.running(client) {
                try client.send(events)
                #expect(await client.flush(timeout: .seconds(10)))
            }
            #expect(client.stats.sent == 8 && client.stats.rejected == 2)
            let numbers = try await Self.all(client, VigilEventQuery(type: "svc.doc")).compactMap { $0.details?["n"] }
            #expect(Set(numbers) == Set([0, 1, 2, 4, 5, 6, 8, 9].map { VigilJSON.number(Double($0)) }))
        }
    }

    @Test func retryAfterIsHonouredUntilEverythingIsIn() async throws {
        // A stand-in for Vigil that answers its first two batches 429 with `Retry-After: 1`:
        // deterministic, unlike a rate limit that a stalled machine refills in the meantime.
        let calls = Mutex(0)
        let router = Router()
        router.post("/api/v1/events/batch") { request, _ -> Response in
            let lines = try await request.body.collect(upTo: 10 << 20).readableBytesView.split(separator: UInt8(ascii: "\n")).count
            let call = calls.withLock { value -> Int in
                value += 1
                return value
            }
            let throttled = call <= 2
            let body =
                throttled ? #"{"status":429,"code":"too_many_requests","detail":"Slow down."}"# : #"{"accepted":\#(lines),"duplicates":0,"ids":[]}"#
            var headers: HTTPFields = [.contentType: throttled ? "application/problem+json" : "application/json"]
            if throttled { headers[.retryAfter] = "1" }
            return Response(status: throttled ? .tooManyRequests : .created, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        try await Application(router: router).test(.live) { stub in
            let url = "http://127.0.0.1:\(try #require(stub.port))"
            let client = VigilClient(url: url, apiKey: "vgl_stub", configuration: Self.configuration { $0.maxBatch = 500 }, logger: Self.quiet)
            let started = ContinuousClock.now
            try await Self.running(client) {
                try client.send((0..<500).map { _ in VigilClientEvent(type: "svc.flood") })
                #expect(await client.flush(timeout: .seconds(60)))
            }
            // Two waits of at least 1 s, though the back-off alone would be 20 + 40 ms.
            #expect(ContinuousClock.now - started >= .seconds(2))
            #expect(client.stats.sent == 500 && client.stats.retries == 2 && calls.withLock { $0 } == 3)
        }
    }

    @Test func gracefulShutdownDeliversWhatIsQueued() async throws {
        try await Self.withVigil { url, key in
            // Nothing would go before a minute: only the shutdown sends these.
            let client = VigilClient(url: url, apiKey: key, configuration: Self.configuration { $0.flushInterval = .seconds(60) }, logger: Self.quiet)
            try await Self.running(client) {
                try client.send((0..<300).map { _ in VigilClientEvent(type: "svc.exit") })
            }
            #expect(client.stats.sent == 300 && client.stats.lost == 0)
            #expect(try await Self.all(client, VigilEventQuery(type: "svc.exit")).count == 300)
        }
    }

    @Test func theQueueIsBoundedAndShutdownGivesUpInTime() async throws {
        let nowhere = "http://127.0.0.1:\(try Self.closedPort())"
        let client = VigilClient(
            url: nowhere,
            apiKey: "vgl_unused",
            configuration: Self.configuration {
                $0.maxQueue = 100
                $0.backoffMax = .milliseconds(200)
                $0.shutdownTimeout = .milliseconds(500)
                $0.requestTimeout = .seconds(1)
            },
            logger: Self.quiet
        )
        let shutdown = try await Self.running(client) {
            let queued = try client.send((0..<500).map { _ in VigilClientEvent(type: "svc.down") })
            #expect(queued == 100)
            #expect(try await Self.eventually(within: .seconds(30)) { client.stats.retries >= 1 })
            #expect(client.stats.queued == 100 && client.stats.dropped == 400)
        }
        // 0.5 s of shutdown timeout; the slack is for a loaded machine, not for a 1 s request.
        #expect(shutdown < .seconds(3), "shutdown took \(shutdown)")
        #expect(client.stats.lost == 100 && client.stats.sent == 0)
        let late = try client.send(VigilClientEvent(type: "svc.after"))
        #expect(late == false)
    }

    /// A port nothing listens on (bound, then released).
    static func closedPort() throws -> Int {
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).wait()
        let port = channel.localAddress?.port ?? 9
        try channel.close().wait()
        return port
    }
}
