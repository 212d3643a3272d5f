/// Reassembles chunked GELF datagrams: `0x1e 0x0f`, an 8-byte message id, the sequence number
/// and count (at most 128), then the chunk's bytes. Incomplete messages are dropped after
/// `window`; memory is bounded by `maxPendingBytes` across all messages, and a message larger
/// than `GELFMessage.maxBytes` is refused as soon as its chunks say so.
public struct GELFChunkAssembler: Sendable {
    public static let magic: [UInt8] = [0x1E, 0x0F]
    public static let maxChunks = 128

    struct Pending: Sendable {
        var chunks: [[UInt8]?]
        var received = 0
        var bytes = 0
        var firstSeen: Timestamp
    }

    public let windowSeconds: Int64
    public let maxPendingBytes: Int
    private var pending: [UInt64: Pending] = [:]
    private var pendingBytes = 0

    public init(windowSeconds: Int64 = 5, maxPendingBytes: Int = 16 * 1024 * 1024) {
        self.windowSeconds = windowSeconds
        self.maxPendingBytes = maxPendingBytes
    }

    public static func isChunk(_ datagram: some Collection<UInt8>) -> Bool {
        datagram.count >= 2 && datagram.starts(with: magic)
    }

    /// The whole message once its last chunk arrives, nil while chunks are missing, or why the
    /// chunk (and its message) was dropped.
    public mutating func add(_ datagram: [UInt8], now: Timestamp) -> Result<[UInt8]?, LogRejection> {
        guard datagram.count > 12, Self.isChunk(datagram) else { return .failure(.invalidGELF) }
        let id = datagram[2..<10].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let sequence = Int(datagram[10])
        let count = Int(datagram[11])
        guard count >= 1, count <= Self.maxChunks, sequence < count else { return .failure(.invalidGELF) }
        let body = Array(datagram[12...])
        var message = self.pending[id] ?? Pending(chunks: Array(repeating: nil, count: count), firstSeen: now)
        guard message.chunks.count == count else {
            self.drop(id)
            return .failure(.invalidGELF)
        }
        if message.chunks[sequence] == nil {
            guard message.bytes + body.count <= GELFMessage.maxBytes else {
                self.drop(id)
                return .failure(.oversize)
            }
            guard self.pendingBytes + body.count <= self.maxPendingBytes else {
                self.drop(id)
                return .failure(.incompleteChunks)
            }
            message.chunks[sequence] = body
            message.received += 1
            message.bytes += body.count
            self.pendingBytes += body.count
        }
        guard message.received == count else {
            self.pending[id] = message
            return .success(nil)
        }
        self.pending[id] = message
        self.drop(id)
        return .success(message.chunks.reduce(into: [UInt8]()) { $0 += $1 ?? [] })
    }

    /// Drops messages older than the window; returns how many.
    public mutating func expire(now: Timestamp) -> Int {
        let cutoff = now.adding(seconds: -self.windowSeconds)
        let stale = self.pending.filter { $0.value.firstSeen < cutoff }.map(\.key)
        for id in stale { self.drop(id) }
        return stale.count
    }

    public var pendingMessages: Int { self.pending.count }

    private mutating func drop(_ id: UInt64) {
        if let message = self.pending.removeValue(forKey: id) { self.pendingBytes -= message.bytes }
    }
}
