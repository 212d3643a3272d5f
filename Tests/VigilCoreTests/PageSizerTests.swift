import Foundation
import Testing
import VigilCore

/// Export pages: as many events as fit a byte budget, never more than the page size.
@Suite struct PageSizerTests {
    static func events(_ count: Int, details: Int) -> [Event] {
        (0..<count).map { index in
            Event(
                id: UUID(),
                type: "page.test",
                occurredAt: Timestamp(microseconds: Int64(index)),
                receivedAt: Timestamp(microseconds: Int64(index)),
                details: "{\"x\":\"" + String(repeating: "x", count: details) + "\"}",
                ingestedBy: "test"
            )
        }
    }

    @Test func smallEventsTravelInFullPages() {
        #expect(PageSizer.size(after: Self.events(1000, details: 100), pageSize: 5000, maxPageBytes: 16 << 20) == 5000)
    }

    @Test func bigEventsShrinkThePageToTheBudget() {
        let page = Self.events(1000, details: 32 << 10)
        let size = PageSizer.size(after: page, pageSize: 5000, maxPageBytes: 16 << 20)
        let footprint = page[0].footprint
        #expect(size == (16 << 20) / footprint)
        #expect(size * footprint <= 16 << 20 && (size + 1) * footprint > 16 << 20)
        #expect(size < 520, "about 16 MiB of 32 KiB events")
    }

    @Test func aBudgetBelowOneEventStillReadsOne() {
        #expect(PageSizer.size(after: Self.events(3, details: 1 << 20), pageSize: 5000, maxPageBytes: 1024) == 1)
        #expect(PageSizer.size(after: [], pageSize: 5000, maxPageBytes: 1024) == 5000)
    }
}
