import Synchronization

/// Hands out reader connections one caller at a time, and never the last `reserved` idle ones
/// to heavy reads (full-text search, filtered statistics, event pages): SQLite statements
/// cannot be given a time limit through SQLiteNIO, so a few expensive requests must not be able
/// to occupy every reader and stall logins, token checks and user lookups behind them.
final class ReaderCheckout: Sendable {
    private struct Waiter {
        let heavy: Bool
        let continuation: CheckedContinuation<Int, Never>
    }

    private struct State {
        var idle: [Int]
        var waiters: [Waiter] = []
    }

    let reserved: Int
    private let state: Mutex<State>

    init(readers: Int, reserved: Int) {
        self.reserved = readers > 1 ? max(0, min(reserved, readers - 1)) : 0
        self.state = Mutex(State(idle: Array(0..<readers)))
    }

    /// An idle reader's index; waits (first come, first served within each kind) when none may be taken.
    func checkout(heavy: Bool) async -> Int {
        await withCheckedContinuation { continuation in
            let index: Int? = self.state.withLock { state in
                if state.idle.count > (heavy ? self.reserved : 0), !state.waiters.contains(where: { !$0.heavy || heavy }) {
                    return state.idle.removeLast()
                }
                state.waiters.append(Waiter(heavy: heavy, continuation: continuation))
                return nil
            }
            if let index { continuation.resume(returning: index) }
        }
    }

    func checkin(_ index: Int) {
        let handoff: (Waiter, Int)? = self.state.withLock { state in
            state.idle.append(index)
            guard let position = state.waiters.firstIndex(where: { state.idle.count > ($0.heavy ? self.reserved : 0) }) else { return nil }
            return (state.waiters.remove(at: position), state.idle.removeLast())
        }
        if let (waiter, reader) = handoff { waiter.continuation.resume(returning: reader) }
    }
}
