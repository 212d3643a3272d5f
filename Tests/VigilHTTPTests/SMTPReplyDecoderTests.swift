import NIOCore
import NIOEmbedded
import Testing

@testable import VigilNotify

/// F16, F20: the SMTP reply decoder bounds a reply's lines and tells whether anything arrived
/// that was not consumed (the STARTTLS check).
@Suite struct SMTPReplyDecoderTests {
    @Test func aReplyOfTooManyLinesEndsTheConversation() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPReplyDecoder()))
        let lines = String(repeating: "250-x\r\n", count: SMTPReplyDecoder.maxLines + 1) + "250 done\r\n"
        #expect(throws: (any Error).self) { try channel.writeInbound(ByteBuffer(string: lines)) }
        _ = try? channel.finish()
    }

    @Test func theTallySeesRepliesAndBytesNotYetConsumed() throws {
        let tally = ReplyTally()
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPReplyDecoder(tally: tally)))
        try channel.writeInbound(ByteBuffer(string: "220 go ahead\r\n"))
        #expect(tally.isSettled(consumed: 1))
        // What a man in the middle appends after the 220 to STARTTLS.
        try channel.writeInbound(ByteBuffer(string: "250 forged\r\n235 forged"))
        #expect(!tally.isSettled(consumed: 1))
        #expect(!tally.isSettled(consumed: 2), "a partial line still waits")
        _ = try? channel.finish()
    }
}
