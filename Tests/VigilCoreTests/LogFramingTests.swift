import Foundation
import Testing

@testable import VigilCore

/// RFC 6587 framing, GELF's NUL framing and chunk reassembly: how a stream or a set of
/// datagrams becomes messages, whatever a sender (or an attacker) writes.
@Suite struct LogFramingTests {
    static func messages(_ frames: [LogFrameDecoder.Frame]) -> [String] {
        frames.map {
            switch $0 {
            case .message(let bytes): String(decoding: bytes, as: UTF8.self)
            case .rejected(let reason): "!\(reason.rawValue)"
            }
        }
    }

    @Test func octetCountingAndNewlinesMixInOneStream() {
        var decoder = LogFrameDecoder(framing: .syslog, maxFrameBytes: 100)
        let stream = "10 <13>a: x\ny<13>b: one\n<13>c: two\r\n\n17 <13>d: three\nfour"
        #expect(Self.messages(decoder.feed(Array(stream.utf8))) == ["<13>a: x\ny", "<13>b: one", "<13>c: two\r", "<13>d: three\nfour"])
        #expect(decoder.finish().isEmpty)
        // Split anywhere, the same messages come out.
        var generator = SplitMix64(seed: 6587)
        for _ in 0..<500 {
            var split = LogFrameDecoder(framing: .syslog, maxFrameBytes: 100)
            var frames: [LogFrameDecoder.Frame] = []
            var bytes = Array(stream.utf8)[...]
            while !bytes.isEmpty {
                let take = Int(generator.next() % 7) + 1
                frames += split.feed(bytes.prefix(take))
                bytes = bytes.dropFirst(take)
            }
            #expect(Self.messages(frames + split.finish()) == ["<13>a: x\ny", "<13>b: one", "<13>c: two\r", "<13>d: three\nfour"])
        }
    }

    @Test func oversizedFramesAreSkippedAndTheStreamStaysInStep() {
        var decoder = LogFrameDecoder(framing: .syslog, maxFrameBytes: 16)
        let long = String(repeating: "z", count: 40)
        let frames = decoder.feed(Array("40 \(long)\n<13>a: ok\n\(long)\n<13>b: ok\n1234567890 j\n".utf8))
        #expect(Self.messages(frames) == ["!oversize", "<13>a: ok", "!oversize", "<13>b: ok", "1234567890 j"])
        // An unterminated last message still counts; a delimiter-less flood is bounded.
        #expect(Self.messages(decoder.feed(Array("<13>c: end".utf8)) + decoder.finish()) == ["<13>c: end"])
        var flood = LogFrameDecoder(framing: .syslog, maxFrameBytes: 16)
        for _ in 0..<100 { _ = flood.feed(Array(repeating: UInt8(ascii: "x"), count: 1000)) }
        #expect(flood.pendingBytes <= 16 + 1000)
    }

    @Test func gelfFramesEndAtNUL() {
        var decoder = LogFrameDecoder(framing: .nulDelimited, maxFrameBytes: 64)
        let frames = decoder.feed(Array("{\"a\":1}\u{0}\u{0}12 {\"b\":2}\u{0}{\"c\"".utf8))
        #expect(Self.messages(frames) == [#"{"a":1}"#, #"12 {"b":2}"#])
        #expect(Self.messages(decoder.feed(Array(":3}\u{0}".utf8))) == [#"{"c":3}"#])
    }

    static func chunk(id: UInt64, _ sequence: Int, of count: Int, _ body: String) -> [UInt8] {
        GELFChunkAssembler.magic + (0..<8).map { UInt8(truncatingIfNeeded: id >> (56 - 8 * $0)) } + [UInt8(sequence), UInt8(count)]
            + Array(body.utf8)
    }

    @Test func chunksReassembleInAnyOrderAndIncompleteOnesExpire() throws {
        let start = Timestamp(rfc3339: "2026-12-05T17:00:00Z")!
        var assembler = GELFChunkAssembler()
        #expect(try assembler.add(Self.chunk(id: 7, 2, of: 3, "c}"), now: start).get() == nil)
        #expect(try assembler.add(Self.chunk(id: 7, 0, of: 3, "{\"a\""), now: start).get() == nil)
        #expect(try assembler.add(Self.chunk(id: 7, 0, of: 3, "{\"a\""), now: start).get() == nil, "a repeated chunk is ignored")
        #expect(try assembler.add(Self.chunk(id: 7, 1, of: 3, ":\"b"), now: start).get() == Array(#"{"a":"bc}"#.utf8))
        #expect(assembler.pendingMessages == 0)
        _ = assembler.add(Self.chunk(id: 8, 0, of: 2, "x"), now: start)
        #expect(assembler.expire(now: start.adding(seconds: 2)) == 0)
        #expect(assembler.expire(now: start.adding(seconds: 6)) == 1 && assembler.pendingMessages == 0)
        #expect(assembler.add(Self.chunk(id: 9, 0, of: 129, "x"), now: start) == .failure(.invalidGELF))
        #expect(assembler.add(Self.chunk(id: 9, 3, of: 2, "x"), now: start) == .failure(.invalidGELF))
        #expect(assembler.add([0x1E, 0x0F, 1], now: start) == .failure(.invalidGELF))
        // Memory is bounded across messages: a flood of first chunks stops at the limit.
        var small = GELFChunkAssembler(maxPendingBytes: 1000)
        let refused = (0..<50).filter {
            small.add(Self.chunk(id: UInt64($0), 0, of: 2, String(repeating: "x", count: 100)), now: start) == .failure(.incompleteChunks)
        }
        #expect(refused.count == 40 && small.pendingMessages == 10)
    }

    /// A property over random streams: framing never traps, never yields a message over the
    /// limit, and holds at most one frame's worth of bytes; random GELF payloads and chunks are
    /// read or refused, and every GELF message read becomes an event the API accepts.
    @Test func randomStreamsAndDatagramsNeverTrap() {
        var generator = SplitMix64(seed: 12201)
        let alphabet = Array("<>0123456789 \n\u{0}{}[]\":,version host short_message 1.1 _x".utf8) + [0x1E, 0x0F, 0xFF, 0xC3]
        let now = Timestamp(rfc3339: "2026-12-05T17:00:00Z")!
        var chunks = GELFChunkAssembler(maxPendingBytes: 4096)
        for round in 0..<3_000 {
            let length = Int(generator.next() % 400)
            let bytes = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            var decoder = LogFrameDecoder(framing: round % 2 == 0 ? .syslog : .nulDelimited, maxFrameBytes: 64)
            var rest = bytes[...]
            while !rest.isEmpty {
                let take = Int(generator.next() % 50) + 1
                for frame in decoder.feed(rest.prefix(take)) {
                    if case .message(let message) = frame { #expect(message.count <= 64) }
                }
                #expect(decoder.pendingBytes <= 64 + 50 + 10)
                rest = rest.dropFirst(take)
            }
            _ = decoder.finish()
            if case .success(let draft) = GELFMessage.draft(json: bytes, peer: nil) {
                #expect((try? draft.newEvent(now: now).get()) != nil)
            }
            _ = chunks.add(Array([0x1E, 0x0F] + bytes), now: now.adding(seconds: Int64(round / 100)))
            _ = chunks.expire(now: now.adding(seconds: Int64(round / 100)))
        }
        let json = #"{"version":"1.1","host":"h","short_message":"x","level":9,"timestamp":-5,"_a":{"b":[1,{"c":null}]}}"#
        #expect((try? GELFMessage.draft(json: Array(json.utf8), peer: nil).get().newEvent(now: now).get()) != nil)
    }

    @Test func theBatcherIsBoundedByCountAndBytes() async {
        let draft = LogEventDraft(type: "t")
        let batcher = LogBatcher(capacity: 3, maxBatch: 3, maxBytes: 100)
        #expect(batcher.offer(draft, bytes: 60) && !batcher.offer(draft, bytes: 60))
        #expect(batcher.offer(draft, bytes: 30) && batcher.offer(draft, bytes: 1) && !batcher.offer(draft, bytes: 1))
        // A stream's offer waits while full; once its task is cancelled (shutdown) it queues anyway.
        let waiting = Task { await batcher.offerWaiting([(draft, 10)]) }
        try? await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        await waiting.value
        // An empty batcher takes one message larger than its byte bound.
        let empty = LogBatcher(capacity: 3, maxBatch: 3, maxBytes: 100)
        await empty.offerWaiting([(draft, 500)])
        #expect(!empty.offer(draft, bytes: 1))
    }
}
