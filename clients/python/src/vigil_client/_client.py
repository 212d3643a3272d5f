"""`Vigil`: the one object an application holds."""
from __future__ import annotations

import atexit
import datetime as _dt
import ssl
import urllib.parse
import weakref
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional

from ._events import prepare, rfc3339
from ._sender import RejectHandler, Sender
from ._transport import Transport
from .errors import VigilError

_QUERY_PAGE = 500


class Vigil:
    """A client of one Vigil server, authenticated with an API key (`vgl_...`).

    `send` and `send_many` queue events for the background sender and return at once; they
    never wait for the network and never raise because Vigil is down. `post`, `post_many`,
    `get` and `query` talk to Vigil now and raise the typed `VigilError`s. The queue is
    flushed at interpreter exit (for up to `exit_timeout` seconds) or by `close()`.

    The key needs the scope `events:write` to send and `events:read` to query.
    """

    def __init__(
        self,
        url: str,
        api_key: str,
        *,
        timeout: float = 10.0,
        max_batch: int = 500,
        flush_interval: float = 0.5,
        max_queue: int = 10_000,
        max_queue_bytes: int = 16 << 20,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        exit_timeout: float = 5.0,
        on_reject: Optional[RejectHandler] = None,
        ssl_context: Optional[ssl.SSLContext] = None,
    ) -> None:
        # One transport for both: its connections are per thread, so the sender's thread and
        # the app's threads never share one.
        self._transport = Transport(url, api_key, timeout=timeout, ssl_context=ssl_context)
        self._sender = Sender(
            self._transport,
            max_batch=max_batch,
            flush_interval=flush_interval,
            max_queue=max_queue,
            max_queue_bytes=max_queue_bytes,
            backoff_base=backoff_base,
            backoff_max=backoff_max,
            on_reject=on_reject,
        )
        self.exit_timeout = exit_timeout
        this = weakref.ref(self)
        atexit.register(lambda: this() and this().close(this().exit_timeout))  # type: ignore[union-attr]

    def __repr__(self) -> str:
        return f"Vigil({self._transport!r})"

    def __enter__(self) -> "Vigil":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close(self.exit_timeout)

    # Background sending.

    def send(self, event: Mapping[str, Any]) -> str:
        """Queues one event and returns its client id (its Vigil id once stored). Fills in
        `id` and `occurred_at` when absent. Raises `TypeError`/`ValueError` only for an event
        that can never be sent (not JSON, or above 1 MiB); a full queue drops it (see `stats`)."""
        event_id, data = prepare(event)
        self._sender.enqueue([(event_id, data)])
        return event_id

    def send_many(self, events: Iterable[Mapping[str, Any]]) -> List[str]:
        """Queues several events; their client ids, in order."""
        prepared = [prepare(event) for event in events]
        self._sender.enqueue(prepared)
        return [event_id for event_id, _ in prepared]

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Waits until every queued event is delivered or refused; False on timeout."""
        return self._sender.flush(timeout)

    def close(self, timeout: float = 5.0) -> bool:
        """Flushes for up to `timeout` seconds and stops the sender; later sends are dropped."""
        done = self._sender.close(timeout)
        self._transport.close()
        return done

    def stats(self) -> Dict[str, int]:
        """The sender's counters: sent, duplicates, dropped, rejected, lost, retries, queued."""
        return self._sender.stats()

    # Direct calls.

    def post(self, event: Mapping[str, Any]) -> Dict[str, Any]:
        """Stores one event now and returns it as stored (201, or 200 for a retry Vigil had)."""
        _, data = prepare(event)
        return self._transport.call("POST", "/api/v1/events", body=data)[1]

    def post_many(self, events: Iterable[Mapping[str, Any]]) -> Dict[str, Any]:
        """Stores up to 1000 events now, all or nothing: `{accepted, duplicates, ids}`."""
        body = b"\n".join(prepare(event)[1] for event in events)
        return self._transport.call("POST", "/api/v1/events/batch", body=body, content_type="application/x-ndjson")[1]

    def get(self, event_id: str) -> Dict[str, Any]:
        """One event by id (`NotFoundError` when absent)."""
        # Quoted: an id is often text from elsewhere, and must not become another path.
        return self._transport.call("GET", "/api/v1/events/" + urllib.parse.quote(str(event_id), safe=""))[1]

    def query(self, *, page_size: int = _QUERY_PAGE, **filters: Any) -> Iterator[Dict[str, Any]]:
        """Every event matching `filters`, page after page (keyset cursors: no event is missed
        or repeated while others arrive). Filters are those of `GET /api/v1/events`: `type`
        (`auth.*`), `actor`, `ip` (address or CIDR), `q`, `severity`, `min_severity`,
        `outcome`, `source`, `from_`/`to` (datetime or RFC 3339), `order`, `details={"k": v}`;
        a list value repeats the parameter."""
        params = _query_parameters(filters)
        params["limit"] = max(1, min(1000, page_size))
        cursor: Optional[str] = None
        while True:
            page = dict(params)
            if cursor:
                page["cursor"] = cursor
            answer = self._transport.call("GET", "/api/v1/events", query=page)[1]
            for item in answer.get("items", []):
                yield item
            cursor = answer.get("next_cursor")
            if not cursor:
                return


def _query_parameters(filters: Mapping[str, Any]) -> Dict[str, Any]:
    params: Dict[str, Any] = {}
    for key, value in filters.items():
        if value is None:
            continue
        name = key[:-1] if key.endswith("_") else key
        if name == "details":
            if not isinstance(value, Mapping):
                raise TypeError("details is a mapping of top-level details keys to values")
            for detail, wanted in value.items():
                params[f"details.{detail}"] = _parameter(wanted)
            continue
        params[name] = [_parameter(v) for v in value] if isinstance(value, (list, tuple)) else _parameter(value)
    return params


def _parameter(value: Any) -> str:
    if isinstance(value, _dt.datetime):
        return rfc3339(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


__all__ = ["Vigil", "VigilError"]
