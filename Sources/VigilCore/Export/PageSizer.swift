/// Sizes the next page of a long read (exports) from the one before, so a page holds about a
/// byte budget of events whatever their size.
public enum PageSizer {
    /// The events that fit `maxPageBytes` at the average `Event.footprint` of `page`, between 1
    /// and `pageSize`; `pageSize` after an empty page.
    public static func size(after page: [Event], pageSize: Int, maxPageBytes: Int) -> Int {
        let bytes = page.reduce(0) { $0 + $1.footprint }
        guard !page.isEmpty, bytes > 0 else { return pageSize }
        let fitting = Double(maxPageBytes) / (Double(bytes) / Double(page.count))
        return fitting >= Double(pageSize) ? pageSize : max(1, Int(fitting))
    }
}
