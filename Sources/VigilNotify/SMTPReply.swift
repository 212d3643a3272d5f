import NIOConcurrencyHelpers
import NIOCore

/// One SMTP reply: a three-digit code and its text lines (RFC 5321 §4.2; a multi-line reply
/// is `250-…` lines ending with `250 …`).
struct SMTPReply: Sendable, Equatable {
    var code: Int
    var lines: [String]
}

/// What the decoder has read off the wire: replies decoded and bytes not yet decoded. Written
/// and read on the channel's event loop (the lock only satisfies `Sendable`).
final class ReplyTally: Sendable {
    private let state = NIOLockedValueBox((decoded: 0, undecoded: 0))

    func record(decoded: Int = 0, undecoded: Int) {
        self.state.withLockedValue {
            $0.decoded += decoded
            $0.undecoded = undecoded
        }
    }

    /// True when every decoded reply was consumed and no byte waits undecoded.
    func isSettled(consumed: Int) -> Bool {
        self.state.withLockedValue { $0.decoded == consumed && $0.undecoded == 0 }
    }
}

/// Splits the server's bytes into whole replies. Lines end in CRLF (a bare LF is accepted);
/// a line over 4,096 bytes, a reply of over 100 lines or a malformed code ends the conversation.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    struct Malformed: Error {}
    static let maxLines = 100

    private var pending: [String] = []
    let tally: ReplyTally

    init(tally: ReplyTally = ReplyTally()) {
        self.tally = tally
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 4096 { throw Malformed() }
            self.tally.record(undecoded: buffer.readableBytes)
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        guard length <= 4096, var line = buffer.readString(length: length) else { throw Malformed() }
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)), (200...599).contains(code) else {
            throw Malformed()
        }
        let text = bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : ""
        self.pending.append(text)
        guard self.pending.count <= Self.maxLines else { throw Malformed() }
        if bytes.count > 3, bytes[3] == UInt8(ascii: "-") {
            self.tally.record(undecoded: buffer.readableBytes + 1)
            return .continue
        }
        let reply = SMTPReply(code: code, lines: self.pending)
        self.pending = []
        self.tally.record(decoded: 1, undecoded: buffer.readableBytes)
        context.fireChannelRead(Self.wrapInboundOut(reply))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try self.decode(context: context, buffer: &buffer) == .continue, buffer.readableBytes > 0 {}
        return .needMoreData
    }
}
