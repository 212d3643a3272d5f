/// Splits a TCP stream into messages. Syslog (RFC 6587) takes both framings, chosen per frame:
/// octet counting (`LENGTH SP MESSAGE`, when the frame starts with a digit 1-9 and the digits
/// end in a space) and non-transparent framing (the message ends at LF). GELF over TCP ends
/// each message with NUL. An oversized frame is refused (counted) and skipped up to the next
/// delimiter, octet-counted or not: a count is only trusted up to the size limit, so junk that
/// happens to read as a huge count cannot swallow the messages after it.
public struct LogFrameDecoder: Sendable {
    public enum Framing: Sendable {
        case syslog
        case nulDelimited
    }

    public enum Frame: Sendable, Equatable {
        case message([UInt8])
        case rejected(LogRejection)
    }

    public let framing: Framing
    public let maxFrameBytes: Int
    private var buffer: [UInt8] = []
    private var start = 0
    /// Inside an oversized delimited frame: skip to its delimiter.
    private var skipToDelimiter = false

    public init(framing: Framing, maxFrameBytes: Int) {
        self.framing = framing
        self.maxFrameBytes = maxFrameBytes
    }

    /// Bytes held for an incomplete frame (at most `maxFrameBytes` plus a length prefix).
    public var pendingBytes: Int { self.buffer.count - self.start }

    /// The frames completed by `bytes`, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Frame] {
        self.buffer.append(contentsOf: bytes)
        var frames: [Frame] = []
        while let frame = self.next() { frames.append(frame) }
        if self.start > 0 && self.start * 2 >= self.buffer.count {
            self.buffer.removeSubrange(0..<self.start)
            self.start = 0
        }
        return frames
    }

    /// At the end of the stream: an unterminated last message counts as one (senders often
    /// close without a final LF).
    public mutating func finish() -> [Frame] {
        defer {
            self.buffer = []
            self.start = 0
        }
        guard !self.skipToDelimiter, self.start < self.buffer.count else { return [] }
        let rest = Array(self.buffer[self.start...])
        return rest.allSatisfy(Self.isBlank) ? [] : [.message(rest)]
    }

    private var delimiter: UInt8 { self.framing == .syslog ? 0x0A : 0x00 }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x0A || byte == 0x0D || byte == 0x20 || byte == 0x09 || byte == 0x00
    }

    private mutating func next() -> Frame? {
        if self.skipToDelimiter {
            guard let end = self.buffer[self.start...].firstIndex(of: self.delimiter) else {
                self.start = self.buffer.count
                return nil
            }
            self.start = end + 1
            self.skipToDelimiter = false
        }
        while self.start < self.buffer.count, Self.isBlank(self.buffer[self.start]) { self.start += 1 }
        guard self.start < self.buffer.count else { return nil }
        if self.framing == .syslog, (0x31...0x39).contains(self.buffer[self.start]) {
            switch self.octetCount() {
            case .waiting: return nil
            case .notCounted: break
            case .counted(let length, let bodyStart):
                if length > self.maxFrameBytes {
                    self.start = bodyStart
                    self.skipToDelimiter = true
                    return .rejected(.oversize)
                }
                guard self.buffer.count - bodyStart >= length else { return nil }
                self.start = bodyStart + length
                return .message(Array(self.buffer[bodyStart..<bodyStart + length]))
            }
        }
        return self.delimited()
    }

    private enum OctetCount {
        case waiting
        case notCounted
        case counted(Int, bodyStart: Int)
    }

    /// `DIGITS SP` at the frame start (at most 9 digits).
    private func octetCount() -> OctetCount {
        var index = self.start
        var length = 0
        while index < self.buffer.count, index - self.start < 10 {
            let byte = self.buffer[index]
            if byte == 0x20 { return .counted(length, bodyStart: index + 1) }
            guard (0x30...0x39).contains(byte), index - self.start < 9 else { return .notCounted }
            length = length * 10 + Int(byte - 0x30)
            index += 1
        }
        return index - self.start >= 10 ? .notCounted : .waiting
    }

    private mutating func delimited() -> Frame? {
        let limit = min(self.buffer.count, self.start + self.maxFrameBytes + 1)
        if let end = self.buffer[self.start..<limit].firstIndex(of: self.delimiter) {
            let frame = Array(self.buffer[self.start..<end])
            self.start = end + 1
            return .message(frame)
        }
        guard limit - self.start > self.maxFrameBytes else { return nil }
        self.start = limit
        self.skipToDelimiter = true
        return .rejected(.oversize)
    }
}
