import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

extension VigilClient {
    func deliverUntilShutdown(_ shutdown: ShutdownDeadline) async {
        while !Task.isCancelled {
            let due = self.queue.takeBatch(
                maxBatch: self.configuration.maxBatch,
                maxBatchBytes: Self.maxBatchBytes,
                linger: self.configuration.flushInterval,
                now: .now
            )
            if let batch = due.batch {
                let abandoned = await self.deliver(batch, attempt: 0, shutdown: shutdown)
                self.queue.record { $0.lost += abandoned }
                self.queue.settle()
                continue
            }
            if shutdown.isShuttingDown, due.wait == nil { return }
            if shutdown.hasPassed { break }
            await self.doorbell.wait(timeout: due.wait)
        }
        let left = self.queue.abandonQueued()
        if left > 0 { self.logger.error("vigil-client: stopped with events not delivered", metadata: ["lost": "\(left)"]) }
    }

    /// Delivers or refuses every item; returns how many were abandoned because shutdown's
    /// deadline passed first.
    func deliver(_ items: [SendQueue.Item], attempt: Int, shutdown: ShutdownDeadline) async -> Int {
        var pending = items
        var attempt = attempt
        while !pending.isEmpty {
            guard let error = await self.post(pending) else { return 0 }
            if error.isAboutTheData {
                let named = Self.namedItems(error, count: pending.count)
                if !named.isEmpty {
                    self.reject(error, pending.enumerated().filter { named.contains($0.offset) }.map(\.element))
                    pending = pending.enumerated().filter { !named.contains($0.offset) }.map(\.element)
                    continue
                }
                guard pending.count > 1 else {
                    self.reject(error, pending)
                    return 0
                }
                // Vigil named no item (the batch was too large, say): halve until it does.
                let half = pending.count / 2
                let first = await self.deliver(Array(pending[..<half]), attempt: attempt, shutdown: shutdown)
                return first + (await self.deliver(Array(pending[half...]), attempt: attempt, shutdown: shutdown))
            }
            let delay = self.backoff(attempt: attempt, retryAfter: error.retryAfter)
            let level: Logger.Level = [401, 403, 404].contains(error.status ?? 0) ? .error : .warning
            self.logger.log(
                level: level,
                "vigil-client: events not delivered; retrying",
                metadata: ["events": "\(pending.count)", "error": "\(error)", "retry_in": "\(delay)"]
            )
            self.queue.record { $0.retries += 1 }
            guard await self.pause(delay, shutdown: shutdown) else { return pending.count }
            attempt += 1
        }
        return 0
    }

    /// Sends one batch as NDJSON; nil when Vigil committed it.
    func post(_ items: [SendQueue.Item]) async -> VigilClientError? {
        var body = ByteBuffer()
        for (index, item) in items.enumerated() {
            if index > 0 { body.writeInteger(UInt8(ascii: "\n")) }
            body.writeBytes(item.json)
        }
        let answer: VigilTransport.Answer
        do {
            answer = try await self.transport.request(.POST, "/api/v1/events/batch", body: body, contentType: "application/x-ndjson")
        } catch {
            return error
        }
        guard answer.status == 201 else { return VigilTransport.error(answer) }
        struct Result: Decodable {
            var accepted: Int
            var duplicates: Int
        }
        let result = try? JSONDecoder().decode(Result.self, from: Data(buffer: answer.body))
        self.queue.record {
            $0.sent += result?.accepted ?? items.count
            $0.duplicates += result?.duplicates ?? 0
        }
        return nil
    }

    /// The indices Vigil named in `[i].field` errors.
    static func namedItems(_ error: VigilClientError, count: Int) -> Set<Int> {
        var indices = Set<Int>()
        for field in error.errors.map(\.field) where field.hasPrefix("[") {
            guard let close = field.firstIndex(of: "]"), let index = Int(field[field.index(after: field.startIndex)..<close]) else { continue }
            if index >= 0, index < count { indices.insert(index) }
        }
        return indices
    }

    func reject(_ error: VigilClientError, _ items: [SendQueue.Item]) {
        self.queue.record { $0.rejected += items.count }
        self.logger.error(
            "vigil-client: Vigil refused events",
            metadata: ["error": "\(error)", "ids": "\(items.prefix(10).map { $0.id.uuidString.lowercased() })"]
        )
    }

    func backoff(attempt: Int, retryAfter: Double?) -> Duration {
        let base = self.configuration.backoffBase * (1 << min(attempt, 16))
        let capped = min(base, self.configuration.backoffMax) * Double.random(in: 0.5...1.0)
        let asked = Duration.milliseconds(Int64(min(retryAfter ?? 0, 300) * 1000))
        return max(capped, asked)
    }

    /// Sleeps `delay`, cut short when shutdown begins (for one last try at once) and never
    /// past shutdown's deadline; false once the deadline has passed or the task is cancelled.
    func pause(_ delay: Duration, shutdown: ShutdownDeadline) async -> Bool {
        let wasShuttingDown = shutdown.isShuttingDown
        var end = ContinuousClock.now + delay
        while !Task.isCancelled {
            if let deadline = shutdown.instant {
                if !wasShuttingDown { break }
                end = min(end, deadline)
            }
            let now = ContinuousClock.now
            if now >= end { break }
            await self.doorbell.wait(timeout: end - now)
        }
        return !Task.isCancelled && !shutdown.hasPassed
    }
}
