"""Preparing an event for sending: a client id, the time it happened, and its JSON."""
from __future__ import annotations

import datetime as _dt
import decimal
import json
import os
import time
import uuid
from typing import Any, Mapping, Tuple

# Vigil refuses a single request body above 1 MiB; an event that large can never be sent, so
# the client refuses it at once instead of holding it in memory.
MAX_EVENT_BYTES = 1 << 20


def uuid7() -> str:
    """A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits."""
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (millis & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= ((rand >> 62) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))


def rfc3339(moment: _dt.datetime) -> str:
    """UTC, microseconds, `Z`. A naive datetime is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.timezone.utc)
    return moment.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _default(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        return rfc3339(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable in a Vigil event")


def prepare(event: Mapping[str, Any]) -> Tuple[str, bytes]:
    """The event's client id and its JSON, with `id` and `occurred_at` filled in when absent.

    The id makes retries safe (Vigil stores an id once); `occurred_at` is set now because the
    event may reach Vigil much later than it happened (after an outage). Raises `TypeError`
    for a value JSON cannot carry and `ValueError` for an event above 1 MiB.
    """
    if not isinstance(event, Mapping):
        raise TypeError("an event is a mapping of Vigil's event fields (type, actor, ip, details, ...)")
    item = dict(event)
    if item.get("id") is None:
        item["id"] = uuid7()
    elif isinstance(item["id"], uuid.UUID):
        item["id"] = str(item["id"])
    if item.get("occurred_at") is None:
        item["occurred_at"] = rfc3339(_dt.datetime.now(_dt.timezone.utc))
    data = json.dumps(item, default=_default, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    if len(data) > MAX_EVENT_BYTES:
        raise ValueError(f"event is {len(data)} bytes as JSON; Vigil accepts at most {MAX_EVENT_BYTES}")
    return str(item["id"]), data
