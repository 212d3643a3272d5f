import Foundation
import Logging
import VigilCore

/// `VIGIL_LOG_FORMAT=json`: one JSON object per record on standard error, for log shippers —
/// `time` (RFC 3339 UTC), `level`, `logger`, `message`, `source`, and the metadata (the request
/// id among it) as fields; nested metadata becomes JSON arrays and objects.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    let write: @Sendable (String) -> Void

    public init(label: String, write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.label = label
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = self.metadata
        for (key, value) in event.metadata ?? [:] { merged[key] = value }
        var writer = JSONWriter()
        writer.object { object in
            object.field("time", Timestamp.now().rfc3339)
            object.field("level", event.level.rawValue)
            object.field("logger", self.label)
            object.field("message", event.message.description)
            object.field("source", event.source)
            for key in merged.keys.sorted() where !["time", "level", "logger", "message", "source"].contains(key) {
                var value = JSONWriter()
                value.write(Self.json(merged[key]!))
                object.rawField(key, value.output)
            }
        }
        self.write(writer.output + "\n")
    }

    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let items): .array(items.map(Self.json))
        case .dictionary(let members): .object(members.mapValues(Self.json))
        }
    }
}
