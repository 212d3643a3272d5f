import Synchronization

/// Wakes the sender: `ring` ends the current (or the next) `wait`. A ring with nobody waiting
/// is kept, so a wake-up between a check and a wait is never lost.
final class Doorbell: Sendable {
    private let state = Mutex<(waiter: CheckedContinuation<Void, Never>?, rung: Bool)>((nil, false))

    func ring() {
        let waiter = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.rung = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns when rung, after `timeout` (nil: no limit), or when the task is cancelled.
    func wait(timeout: Duration?) async {
        let timer = timeout.map { timeout in
            Task { [weak self] in
                try? await Task.sleep(for: timeout)
                self?.ring()
            }
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = self.state.withLock { state -> Bool in
                    if state.rung {
                        state.rung = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            self.ring()
        }
        timer?.cancel()
    }
}
