/// A FIFO mutual-exclusion lock for async code. Waiters are resumed in arrival order and
/// ownership passes directly to the next waiter, so no caller can starve.
actor AsyncLock {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func lock() async {
        if !self.locked {
            self.locked = true
            return
        }
        await withCheckedContinuation { self.waiters.append($0) }
    }

    func unlock() {
        if self.waiters.isEmpty {
            self.locked = false
        } else {
            self.waiters.removeFirst().resume()
        }
    }

    func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        await self.lock()
        do {
            let value = try await body()
            self.unlock()
            return value
        } catch {
            self.unlock()
            throw error
        }
    }
}
