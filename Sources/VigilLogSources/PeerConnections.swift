import Synchronization
import VigilCore

/// Open TCP connections per sender address and in all, so one sender (or a crowd) cannot hold
/// every socket of a listener.
final class PeerConnections: Sendable {
    let perPeer: Int
    let total: Int
    private let open = Mutex<(byPeer: [IPAddress: Int], total: Int)>(([:], 0))

    init(perPeer: Int, total: Int) {
        self.perPeer = perPeer
        self.total = total
    }

    /// Takes a slot for `peer`; false when its or the listener's limit is reached.
    func acquire(_ peer: IPAddress) -> Bool {
        self.open.withLock { state in
            let current = state.byPeer[peer, default: 0]
            guard current < self.perPeer, state.total < self.total else { return false }
            state.byPeer[peer] = current + 1
            state.total += 1
            return true
        }
    }

    /// Connections open now, on this listener.
    var count: Int { self.open.withLock { $0.total } }

    func release(_ peer: IPAddress) {
        self.open.withLock { state in
            let current = state.byPeer[peer, default: 0]
            guard current > 0 else { return }
            state.byPeer[peer] = current == 1 ? nil : current - 1
            state.total -= 1
        }
    }
}
