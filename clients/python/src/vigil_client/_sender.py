"""The background sender: a bounded queue and one thread that delivers it in batches."""
from __future__ import annotations

import collections
import json
import logging
import os
import random
import re
import threading
import time
import weakref
from typing import Any, Callable, Deque, Dict, List, Optional, Tuple

from ._transport import Transport
from .errors import VigilConnectionError, VigilError, error_from_response

logger = logging.getLogger("vigil_client")

# Vigil takes at most 1000 events and 10 MiB per batch request; stay under both.
MAX_BATCH_EVENTS = 1000
MAX_BATCH_BYTES = 9 << 20
# Answers that are about the data, not about Vigil or the key: resending the same items
# unchanged can never succeed. Everything else (no answer, 5xx, 429, 401, 403, 404) is retried.
_DATA_STATUSES = (400, 409, 413, 415, 422)
_ITEM_FIELD = re.compile(r"^\[(\d+)\]")

Item = Tuple[str, bytes, float]  # client id, JSON, when it was queued (monotonic)
RejectHandler = Callable[[VigilError, List[Dict[str, Any]]], None]


class Sender:
    """Queues prepared events and delivers them from one daemon thread.

    Memory is bounded by `max_queue` events and `max_queue_bytes` of JSON, the batch being
    delivered included; an event that does not fit is dropped (counted, logged) and `enqueue`
    never blocks. Delivery retries with exponential back-off and jitter (at least Vigil's
    `Retry-After`) for as long as the process lives: each event carries its client id, so an
    answer lost after Vigil committed a batch costs a duplicate answer, never a second copy.
    Items Vigil names as invalid are taken out of the batch and the rest is resent.
    """

    def __init__(
        self,
        transport: Transport,
        max_batch: int = 500,
        flush_interval: float = 0.5,
        max_queue: int = 10_000,
        max_queue_bytes: int = 16 << 20,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        on_reject: Optional[RejectHandler] = None,
    ) -> None:
        if not 1 <= max_batch <= MAX_BATCH_EVENTS:
            raise ValueError(f"max_batch must be 1-{MAX_BATCH_EVENTS}")
        self.transport = transport
        self.max_batch = max_batch
        self.flush_interval = flush_interval
        self.max_queue = max_queue
        self.max_queue_bytes = max_queue_bytes
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.on_reject = on_reject
        self._reset()
        this = weakref.ref(self)
        os.register_at_fork(after_in_child=lambda: this() and this()._reset())  # type: ignore[union-attr]

    def _reset(self) -> None:
        # Also the state of a forked child: the parent's queue and thread stay the parent's.
        self._cond = threading.Condition()
        self._queue: Deque[Item] = collections.deque()
        self._inflight = 0
        self._bytes = 0
        self._thread: Optional[threading.Thread] = None
        self._flushers = 0
        self._closed = False
        self._give_up_at: Optional[float] = None
        self._wake = threading.Event()
        self._last_drop_log = 0.0
        self._drops_unlogged = 0
        self._stats = {"sent": 0, "duplicates": 0, "dropped": 0, "rejected": 0, "lost": 0, "retries": 0}

    def stats(self) -> Dict[str, int]:
        """Counters since start: `sent`, `duplicates` (retries Vigil had already stored),
        `dropped` (queue full), `rejected` (Vigil refused the event), `lost` (still queued when
        `close` gave up), `retries`, and `queued` now."""
        with self._cond:
            return dict(self._stats, queued=len(self._queue) + self._inflight)

    def enqueue(self, items: List[Tuple[str, bytes]]) -> int:
        """Queues what fits; returns how many were queued. Never blocks on the network."""
        now = time.monotonic()
        accepted = 0
        with self._cond:
            for event_id, data in items:
                full = len(self._queue) + self._inflight >= self.max_queue or self._bytes + len(data) > self.max_queue_bytes
                if self._closed or full:
                    self._stats["dropped"] += 1
                    self._drops_unlogged += 1
                    continue
                self._queue.append((event_id, data, now))
                self._bytes += len(data)
                accepted += 1
            if accepted:
                self._start_thread()
                self._cond.notify_all()
            self._log_drops(now)
        return accepted

    def _log_drops(self, now: float) -> None:
        # At most one line per 10 s: a flood must not turn into a flood of log lines.
        if self._drops_unlogged and now - self._last_drop_log >= 10:
            logger.warning("vigil_client: queue full (%d events, %d bytes): dropped %d events", self.max_queue, self.max_queue_bytes, self._drops_unlogged)
            self._drops_unlogged = 0
            self._last_drop_log = now

    def _start_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="vigil-client-sender", daemon=True)
            self._thread.start()

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Sends what is queued now without waiting for a full batch; True once the queue is
        empty (delivered or rejected), False if `timeout` seconds passed first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            self._flushers += 1
            self._cond.notify_all()
            try:
                while self._queue or self._inflight:
                    remaining = None if deadline is None else deadline - time.monotonic()
                    if remaining is not None and remaining <= 0:
                        return False
                    self._cond.wait(remaining)
                return True
            finally:
                self._flushers -= 1

    def close(self, timeout: float = 5.0) -> bool:
        """Flushes for up to `timeout` seconds, then stops; events not delivered by then are
        counted as `lost` and logged. True when none was lost. Events enqueued after `close`
        are dropped."""
        deadline = time.monotonic() + timeout
        with self._cond:
            lost_before = self._stats["lost"]
            self._closed = True
            self._give_up_at = deadline
            self._wake.set()
            self._cond.notify_all()
        done = self.flush(timeout)
        with self._cond:
            left = len(self._queue)
            self._bytes -= sum(len(d) for _, d, _ in self._queue)
            self._queue.clear()
            self._stats["lost"] += left
            self._cond.notify_all()
        thread = self._thread
        if thread is not None:
            thread.join(max(0.0, deadline - time.monotonic()) + 0.5)
        with self._cond:
            # A batch still being sent is the thread's to count; the log line names it too. The
            # thread may also have given up batches itself (counted as lost) before the queue
            # ran empty.
            lost = self._stats["lost"] - lost_before + self._inflight
        if lost:
            logger.error("vigil_client: closed with %d events not delivered", lost)
        return done and not lost

    def _run(self) -> None:
        while True:
            batch = self._next_batch()
            if batch is None:
                self.transport.close()  # this thread's connection
                return
            abandoned = 0
            try:
                abandoned = self._deliver([(i, d) for i, d, _ in batch], 0)
            except Exception:  # noqa: BLE001 - the thread must outlive any surprise
                logger.exception("vigil_client: unexpected error delivering %d events", len(batch))
                abandoned = len(batch)
            with self._cond:
                self._stats["lost"] += abandoned
                self._inflight = 0
                self._bytes -= sum(len(d) for _, d, _ in batch)
                self._cond.notify_all()

    def _next_batch(self) -> Optional[List[Item]]:
        with self._cond:
            while not self._queue:
                if self._closed:
                    return None
                self._cond.wait()
            # Wait for a full batch, or until the oldest event has waited `flush_interval`.
            deadline = self._queue[0][2] + self.flush_interval
            while len(self._queue) < self.max_batch and not self._flushers and not self._closed:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            batch: List[Item] = []
            size = 0
            while self._queue and len(batch) < self.max_batch:
                if batch and size + len(self._queue[0][1]) > MAX_BATCH_BYTES:
                    break
                item = self._queue.popleft()
                size += len(item[1])
                batch.append(item)
            self._inflight = len(batch)
            return batch

    def _deliver(self, pending: List[Tuple[str, bytes]], attempt: int) -> int:
        """Delivers or rejects every item; returns how many were abandoned because `close`
        gave up first."""
        while pending:
            error = self._post(pending)
            if error is None:
                return 0
            if error.status in _DATA_STATUSES:
                named = sorted({int(m.group(1)) for f, _ in error.errors for m in [_ITEM_FIELD.match(f)] if m and int(m.group(1)) < len(pending)})
                if named:
                    self._reject(error, [pending[i] for i in named])
                    skip = set(named)
                    pending = [item for index, item in enumerate(pending) if index not in skip]
                    continue
                if len(pending) == 1:
                    self._reject(error, pending)
                    return 0
                # Vigil named no item (e.g. the batch was too large): halve until it does.
                half = len(pending) // 2
                return self._deliver(pending[:half], attempt) + self._deliver(pending[half:], attempt)
            delay = min(self.backoff_max, self.backoff_base * (2 ** min(attempt, 16))) * random.uniform(0.5, 1.0)
            delay = max(delay, min(error.retry_after or 0.0, 300.0))
            log = logger.error if error.status in (401, 403, 404) else logger.warning
            log("vigil_client: %d events not delivered (%s); retrying in %.1f s", len(pending), error, delay)
            with self._cond:
                self._stats["retries"] += 1
            if not self._sleep(delay):
                return len(pending)
            attempt += 1
        return 0

    def _post(self, pending: List[Tuple[str, bytes]]) -> Optional[VigilError]:
        """Sends one batch; None when Vigil committed it."""
        body = b"\n".join(data for _, data in pending)
        try:
            response = self.transport.request("POST", "/api/v1/events/batch", body=body, content_type="application/x-ndjson")
        except VigilConnectionError as error:
            return error
        if response.status != 201:
            return error_from_response(response.status, response.headers, response.body)
        try:
            answer = response.json()
            accepted, duplicates = int(answer["accepted"]), int(answer["duplicates"])
        except (ValueError, KeyError, TypeError):
            accepted, duplicates = len(pending), 0
        with self._cond:
            self._stats["sent"] += accepted
            self._stats["duplicates"] += duplicates
        return None

    def _reject(self, error: VigilError, items: List[Tuple[str, bytes]]) -> None:
        with self._cond:
            self._stats["rejected"] += len(items)
        logger.error("vigil_client: Vigil refused %d events (%s): %s", len(items), error, ", ".join(i for i, _ in items[:10]))
        if self.on_reject is not None:
            try:
                self.on_reject(error, [json.loads(data) for _, data in items])
            except Exception:  # noqa: BLE001 - a caller's handler must not stop delivery
                logger.exception("vigil_client: on_reject raised")

    def _sleep(self, delay: float) -> bool:
        """Waits `delay` seconds, cut short once by `close` (for one last try) and never past
        its deadline; False once `close` has given up."""
        give_up_at = self._give_up_at
        if give_up_at is not None:
            delay = min(delay, max(0.0, give_up_at - time.monotonic()))
        self._wake.wait(delay)
        self._wake.clear()
        give_up_at = self._give_up_at
        return give_up_at is None or time.monotonic() < give_up_at
