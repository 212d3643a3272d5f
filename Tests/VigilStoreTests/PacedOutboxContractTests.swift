import Foundation
import Testing
import VigilCore

/// Paced channels (Slack, Telex, email) and Telex tick marks on every engine.
@Suite struct PacedOutboxContractTests {
    static func slack(_ name: String) -> NotificationChannel {
        let now = OutboxStoreContractTests.now
        return NotificationChannel(id: UUID.v7(), name: name, config: .slack(url: "http://127.0.0.1:9/\(name)"), createdAt: now, updatedAt: now)
    }

    /// Opens `count` alerts, one per address: one notification each for every channel.
    static func openAlerts(_ store: any ContractStore, _ count: Int, prefix: String) async throws {
        for index in 0..<count { _ = try await OutboxStoreContractTests.openAlert(store, ip: "\(prefix).\(index)") }
    }

    @Test(arguments: StoreBackend.available)
    func aPacedChannelsNotificationsGoTogetherOneMessageAtATime(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let slack = Self.slack("slack")
            let webhook = OutboxStoreContractTests.channel("hook")
            try await store.createChannel(slack)
            try await store.createChannel(webhook)
            try await Self.openAlerts(store, 5, prefix: "10.1.0")
            let now = Timestamp.now()
            let lease = now.adding(seconds: 60)
            // Three message slots: the Slack channel's five notifications are one message,
            // the webhook's go one by one.
            let claimed = try await store.claimDeliveries(node: "a", now: now, leaseUntil: lease, limit: 3)
            #expect(claimed.filter { $0.channelID == slack.id }.count == 5)
            #expect(claimed.filter { $0.channelID == webhook.id }.count == 2)
            // While its message is in flight, the Slack channel is not claimable, even by
            // another node, even with new notifications.
            try await Self.openAlerts(store, 2, prefix: "10.1.1")
            let second = try await store.claimDeliveries(node: "b", now: now, leaseUntil: lease, limit: 10)
            #expect(second.allSatisfy { $0.channelID == webhook.id } && second.count == 5)
            // The answer came: the channel is ready again one second later, not before.
            let answered = now.adding(seconds: 2)
            let outcomes = claimed.filter { $0.channelID == slack.id }.map { (id: $0.id, outcome: DeliveryOutcome.delivered) }
            let attempt = DeliveryAttempt(at: answered, statusCode: 200, error: nil, latencyMilliseconds: 5)
            let recorded = try await store.recordAttempt(
                attempt,
                outcomes: outcomes,
                node: "a",
                channelReadyAt: (slack.id, answered.adding(seconds: 1))
            )
            #expect(recorded == Set(outcomes.map(\.id)))
            #expect(try await store.claimDeliveries(node: "b", now: answered, leaseUntil: lease, limit: 10).isEmpty, "paced")
            let ready = answered.adding(seconds: 1)
            let next = try await store.claimDeliveries(node: "b", now: ready, leaseUntil: ready.adding(seconds: 60), limit: 10)
            #expect(next.count == 2 && next.allSatisfy { $0.channelID == slack.id && $0.attempts == 1 })
            var query = DeliveryQuery()
            query.channelID = slack.id
            query.status = .delivered
            let delivered = try await store.deliveries(matching: query)
            #expect(delivered.count == 5 && delivered.allSatisfy { $0.attempts == [attempt] })
        }
    }

    @Test(arguments: StoreBackend.available)
    func aMessageWhoseNodeDiedIsClaimedAgainAfterTheLease(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let slack = Self.slack("slack")
            try await store.createChannel(slack)
            try await Self.openAlerts(store, 3, prefix: "10.2.0")
            let now = Timestamp.now()
            let first = try await store.claimDeliveries(node: "a", now: now, leaseUntil: now.adding(seconds: 60), limit: 10, batchLimit: 2)
            #expect(first.count == 2, "at most batchLimit notifications in one message")
            let later = now.adding(seconds: 61)
            let again = try await store.claimDeliveries(node: "b", now: later, leaseUntil: later.adding(seconds: 60), limit: 10, batchLimit: 10)
            #expect(again.count == 3 && Set(first.map(\.id)).isSubset(of: Set(again.map(\.id))))
            #expect(again.filter { first.map(\.id).contains($0.id) }.allSatisfy { $0.attempts == 2 })
            // The node that lost the lease records nothing and does not move the channel's pace.
            let late = DeliveryAttempt(at: later, statusCode: 200, error: nil, latencyMilliseconds: 1)
            let lost = try await store.recordAttempt(
                late,
                outcomes: first.map { ($0.id, .delivered) },
                node: "a",
                channelReadyAt: (slack.id, later.adding(seconds: 3600))
            )
            #expect(lost.isEmpty)
            let failed = DeliveryAttempt(at: later, statusCode: 429, error: "HTTP 429", latencyMilliseconds: 1, retryAfterSeconds: 30)
            let retryAt = later.adding(seconds: 30)
            let recorded = try await store.recordAttempt(
                failed,
                outcomes: again.map { ($0.id, .retry(at: retryAt)) },
                node: "b",
                channelReadyAt: (slack.id, retryAt)
            )
            #expect(recorded.count == 3)
            #expect(try await store.claimDeliveries(node: "b", now: retryAt.adding(seconds: -1), leaseUntil: retryAt, limit: 10).isEmpty)
            #expect(try await store.claimDeliveries(node: "b", now: retryAt, leaseUntil: retryAt.adding(seconds: 60), limit: 10).count == 3)
        }
    }

    @Test(arguments: StoreBackend.available)
    func telexTickMarksGiveDisjointWindows(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let now = OutboxStoreContractTests.now
            let telex = NotificationChannel(
                id: UUID.v7(),
                name: "telex",
                config: .telex(url: "http://127.0.0.1:9/telex", channelID: "c-1"),
                createdAt: now,
                updatedAt: now
            )
            try await store.createChannel(telex)
            let (first, second, third) = (now.adding(seconds: 60), now.adding(seconds: 120), now.adding(seconds: 180))
            #expect(try await store.advanceTick(channelID: telex.id, to: first) == nil)
            #expect(try await store.advanceTick(channelID: telex.id, to: second) == first)
            // Its digest failed: the mark goes back, so the next tick covers both windows.
            try await store.rewindTick(channelID: telex.id, from: second, to: first)
            #expect(try await store.advanceTick(channelID: telex.id, to: third) == first)
            // A rewind that comes too late (another tick moved on) changes nothing.
            try await store.rewindTick(channelID: telex.id, from: second, to: nil)
            #expect(try await store.advanceTick(channelID: telex.id, to: third.adding(seconds: 60)) == third)
            #expect(try await store.advanceTick(channelID: UUID.v7(), to: third) == nil)
            // Editing the channel keeps its mark.
            var edited = telex
            edited.name = "telex ops"
            _ = try await store.updateChannel(edited)
            #expect(try await store.advanceTick(channelID: telex.id, to: third.adding(seconds: 120)) == third.adding(seconds: 60))
        }
    }
}
