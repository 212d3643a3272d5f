/// A one-shot gate a task can wait at.
actor Gate {
    private var waiter: CheckedContinuation<Void, Never>?
    private var isOpen = false

    var isWaiting: Bool { self.waiter != nil }

    func opened() async {
        if self.isOpen { return }
        await withCheckedContinuation { self.waiter = $0 }
    }

    func open() {
        self.isOpen = true
        self.waiter?.resume()
        self.waiter = nil
    }
}
