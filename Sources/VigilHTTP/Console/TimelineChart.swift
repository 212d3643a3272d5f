import Foundation
import VigilCore

/// The overview's timeline as an SVG bar chart, drawn on the server (no script, no inline style:
/// only presentation attributes, which the Content-Security-Policy allows). Every text in it is
/// a number or a date Vigil formatted, and is escaped anyway.
struct TimelineChart {
    struct Bucket {
        let start: Timestamp
        let count: Int64
    }

    let buckets: [Bucket]
    let width = 960
    let height = 240
    let margin = (left: 48, right: 40, top: 12, bottom: 28)

    /// Buckets from `GET /api/v1/stats`'s `timeline`.
    init(timeline: JSONValue?) {
        guard case .array(let items)? = timeline else {
            self.buckets = []
            return
        }
        self.buckets = items.compactMap { item in
            guard case .object(let fields) = item, case .string(let start)? = fields["start"], let time = Timestamp(rfc3339: start),
                case .int(let count)? = fields["count"]
            else { return nil }
            return Bucket(start: time, count: count)
        }
    }

    var svg: String {
        let peak = max(self.buckets.map(\.count).max() ?? 0, 1)
        let plotWidth = Double(self.width - self.margin.left - self.margin.right)
        let plotHeight = Double(self.height - self.margin.top - self.margin.bottom)
        let step = plotWidth / Double(max(self.buckets.count, 1))
        var parts: [String] = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(self.width) \(self.height)\" role=\"img\" aria-labelledby=\"chart-title\">",
            "<title id=\"chart-title\">Events per bucket; highest \(peak)</title>",
        ]
        for fraction in [0.0, 0.5, 1.0] {
            let y = Double(self.margin.top) + plotHeight * (1 - fraction)
            let label = Int64((Double(peak) * fraction).rounded())
            parts.append(
                "<line x1=\"\(self.margin.left)\" x2=\"\(self.width - self.margin.right)\" y1=\"\(Self.f(y))\" y2=\"\(Self.f(y))\" stroke=\"#d0d7de\"/>"
            )
            parts.append(
                "<text x=\"\(self.margin.left - 6)\" y=\"\(Self.f(y + 4))\" text-anchor=\"end\" font-size=\"11\" fill=\"#59636e\">\(label)</text>"
            )
        }
        for (index, bucket) in self.buckets.enumerated() {
            let barHeight = plotHeight * Double(bucket.count) / Double(peak)
            let x = Double(self.margin.left) + step * Double(index)
            let y = Double(self.margin.top) + plotHeight - barHeight
            let label = HTMLText.escape("\(ConsoleValues.readable(bucket.start)): \(bucket.count)")
            parts.append(
                "<rect x=\"\(Self.f(x + step * 0.1))\" y=\"\(Self.f(y))\" width=\"\(Self.f(max(step * 0.8, 0.5)))\" height=\"\(Self.f(barHeight))\" fill=\"#0b57d0\"><title>\(label)</title></rect>"
            )
        }
        let labelEvery = max(self.buckets.count / 6, 1)
        for (index, bucket) in self.buckets.enumerated() where index % labelEvery == 0 {
            let x = Double(self.margin.left) + step * (Double(index) + 0.5)
            let text = HTMLText.escape(String(ConsoleValues.readable(bucket.start).dropFirst(5).prefix(11)))
            parts.append("<text x=\"\(Self.f(x))\" y=\"\(self.height - 8)\" text-anchor=\"middle\" font-size=\"11\" fill=\"#59636e\">\(text)</text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    static func f(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
