import CompressNIO
import NIOCore
import VigilCore

/// Turns one received message (a syslog frame or datagram, or a GELF payload) into a draft.
/// GELF payloads may be gzip or zlib compressed; inflation stops at `GELFMessage.maxBytes`.
struct LogMessageReader: Sendable {
    let format: LogListenerConfiguration.Format

    func draft(_ bytes: [UInt8], peer: String?, receivedAt: Timestamp) -> Result<LogEventDraft, LogRejection> {
        switch self.format {
        case .syslog:
            return SyslogParser.parse(bytes, receivedAt: receivedAt).map { $0.draft(peer: peer) }
        case .gelf:
            switch Self.inflated(bytes) {
            case .success(let json): return GELFMessage.draft(json: json, peer: peer)
            case .failure(let reason): return .failure(reason)
            }
        }
    }

    /// The payload itself, or inflated when it starts with a gzip (1f 8b) or zlib (78 xx) header.
    static func inflated(_ bytes: [UInt8]) -> Result<[UInt8], LogRejection> {
        let algorithm: CompressionAlgorithm
        if bytes.starts(with: [0x1F, 0x8B]) {
            algorithm = .gzip()
        } else if bytes.count >= 2, bytes[0] == 0x78, (UInt16(bytes[0]) << 8 | UInt16(bytes[1])) % 31 == 0 {
            algorithm = .zlib()
        } else {
            return .success(bytes)
        }
        var buffer = ByteBuffer(bytes: bytes)
        do {
            let output = try buffer.decompress(with: algorithm, maxSize: GELFMessage.maxBytes)
            return .success(Array(output.readableBytesView))
        } catch let error as CompressNIOError where error == .bufferOverflow {
            return .failure(.oversize)
        } catch {
            return .failure(.badCompression)
        }
    }
}
