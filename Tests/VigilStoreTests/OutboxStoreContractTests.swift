import Foundation
import Testing
import VigilCore

/// Channels and the notification outbox on every engine.
@Suite struct OutboxStoreContractTests {
    static let now = AlertStoreContractTests.now

    static func channel(
        _ name: String,
        minSeverity: Severity = .info,
        events: Set<NotificationEvent> = Set(NotificationEvent.subscribable)
    ) -> NotificationChannel {
        NotificationChannel(
            id: UUID.v7(),
            name: name,
            config: .webhook(url: "http://127.0.0.1:9/\(name)", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            minSeverity: minSeverity,
            events: events,
            createdAt: now,
            updatedAt: now
        )
    }

    /// Opens one brute-force alert (count 5) through a detection commit; returns its result.
    static func openAlert(_ store: any ContractStore, ip: String = "10.0.0.1") async throws -> DetectionResult {
        var engine = DetectionEngine(rules: [AlertStoreContractTests.bruteForce()])
        let checkpoint = try await store.detectorCheckpoint()
        return try await AlertStoreContractTests.detect(store, AlertStoreContractTests.failures(5, ip: ip), engine: &engine, from: checkpoint).0
    }

    @Test(arguments: StoreBackend.available)
    func channelsKeepTheirSecretsAndUniqueNames(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let channel = Self.channel("soc")
            try await store.createChannel(channel)
            #expect(try await store.channel(id: channel.id) == channel)
            var clash = Self.channel("SOC")
            await #expect(throws: VigilError.channelNameTaken) { try await store.createChannel(clash) }
            clash.name = "other"
            // Listed by creation time, then id: a later time, or two ids drawn in the same
            // millisecond would order the pair at random.
            clash.createdAt = clash.createdAt.adding(seconds: 1)
            clash.updatedAt = clash.createdAt
            try await store.createChannel(clash)
            var renamed = clash
            renamed.name = "Soc"
            await #expect(throws: VigilError.channelNameTaken) { _ = try await store.updateChannel(renamed) }
            renamed.name = "night shift"
            #expect(try await store.updateChannel(renamed)?.name == "other")
            #expect(try await store.channels().map(\.name) == ["soc", "night shift"])
            #expect(try await store.deleteChannel(id: channel.id) == channel)
            #expect(try await store.deleteChannel(id: channel.id) == nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func alertChangesQueueNotificationsInTheSameTransaction(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let all = Self.channel("all")
            let critical = Self.channel("critical-only", minSeverity: .critical)
            let updates = Self.channel("updates", events: [.alertUpdated])
            for channel in [all, critical, updates] { try await store.createChannel(channel) }
            let result = try await Self.openAlert(store)
            #expect(result.notifications == 1, "only the channel for everything hears of a high alert opening")
            let alert = try #require(result.opened.first)
            _ = try await store.updateAlert(id: alert.id, AlertUpdate(status: .acknowledged), by: "admin", at: Self.now)
            var query = DeliveryQuery()
            query.alertID = alert.id
            let queued = try await store.deliveries(matching: query)
            #expect(
                Set(queued.map { "\($0.entry.channelID == all.id ? "all" : "updates") \($0.entry.event.rawValue)" })
                    == ["all alert.created", "all alert.updated", "updates alert.updated"]
            )
            #expect(queued.allSatisfy { $0.entry.status == .pending && $0.entry.attempts == 0 && $0.attempts.isEmpty })
            let created = try #require(queued.first { $0.entry.event == .alertCreated })
            #expect(created.entry.payload.contains(#""status":"open""#))
            let updated = try #require(queued.first { $0.entry.event == .alertUpdated && $0.entry.channelID == all.id })
            #expect(updated.entry.payload.contains(#""status":"acknowledged""#))
        }
    }

    @Test(arguments: StoreBackend.available)
    func claimsLeaseRecordAndRetry(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.createChannel(Self.channel("all"))
            _ = try await Self.openAlert(store)
            let now = Timestamp.now()
            let claimed = try await store.claimDeliveries(node: "a", now: now, leaseUntil: now.adding(seconds: 60), limit: 10)
            #expect(claimed.count == 1 && claimed.first?.attempts == 1 && claimed.first?.status == .delivering)
            let id = try #require(claimed.first?.id)
            #expect(try await store.claimDeliveries(node: "b", now: now, leaseUntil: now.adding(seconds: 60), limit: 10).isEmpty, "leased")
            // Past the lease another node takes it over; the first can no longer record.
            let later = now.adding(seconds: 61)
            #expect(try await store.claimDeliveries(node: "b", now: later, leaseUntil: later.adding(seconds: 60), limit: 10).map(\.attempts) == [2])
            let failed = DeliveryAttempt(at: later, statusCode: 503, error: "HTTP 503", latencyMilliseconds: 12)
            #expect(try await store.recordAttempt(failed, of: id, node: "a", outcome: .retry(at: later)) == false)
            #expect(try await store.recordAttempt(failed, of: id, node: "b", outcome: .retry(at: later.adding(seconds: 7))) == true)
            #expect(try await store.claimDeliveries(node: "b", now: later, leaseUntil: later.adding(seconds: 60), limit: 10).isEmpty, "not due yet")
            let due = later.adding(seconds: 7)
            #expect(try await store.claimDeliveries(node: "b", now: due, leaseUntil: due.adding(seconds: 60), limit: 10).count == 1)
            let ok = DeliveryAttempt(at: due, statusCode: 204, error: nil, latencyMilliseconds: 3)
            #expect(try await store.recordAttempt(ok, of: id, node: "b", outcome: .delivered))
            var query = DeliveryQuery()
            query.status = .delivered
            let delivered = try await store.deliveries(matching: query)
            #expect(delivered.map(\.entry.id) == [id])
            #expect(delivered.first?.attempts == [failed, ok])
            #expect(delivered.first?.entry.attempts == 3 && delivered.first?.entry.lastError == nil)
            // Re-queued by hand: pending now, attempts from zero.
            let retried = try #require(try await store.retryDelivery(id: id, now: due))
            #expect(retried.status == .pending && retried.attempts == 0)
            _ = try await store.claimDeliveries(node: "c", now: due, leaseUntil: due.adding(seconds: 60), limit: 10)
            await #expect(throws: VigilError.deliveryInProgress) { _ = try await store.retryDelivery(id: id, now: due) }
            #expect(try await store.recordAttempt(failed, of: id, node: "c", outcome: .dead))
            query.status = .dead
            #expect(try await store.deliveries(matching: query).first?.entry.lastError == "HTTP 503")
            #expect(try await store.retryDelivery(id: UUID.v7(), now: due) == nil)
            // Deleting the channel takes its undelivered notifications with it.
            let channelID = try #require(try await store.channels().first?.id)
            _ = try await store.deleteChannel(id: channelID)
            var byChannel = DeliveryQuery()
            byChannel.channelID = channelID
            #expect(try await store.deliveries(matching: byChannel).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.available)
    func deliveriesPageNewestFirst(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.createChannel(Self.channel("all"))
            for index in 0..<5 { _ = try await Self.openAlert(store, ip: "10.0.1.\(index)") }
            var query = DeliveryQuery()
            query.limit = 2
            var seen: [UUID] = []
            while true {
                let page = try await store.deliveries(matching: query)
                seen += page.map(\.entry.id)
                guard page.count == query.limit, let last = page.last else { break }
                query.before = (last.entry.createdAt, last.entry.id)
            }
            #expect(seen.count == 5 && Set(seen).count == 5)
        }
    }
}
