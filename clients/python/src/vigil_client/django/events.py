"""Sending one event from a hook: never raises, never blocks the request."""
from __future__ import annotations

import logging
from typing import Any, Dict, Optional

from . import conf
from .request_info import clip, client_address, request_details, username

logger = logging.getLogger("vigil_client")


def record(
    event_type: str,
    *,
    request: Any = None,
    severity: str = "info",
    outcome: str = "success",
    actor: Optional[str] = None,
    entity_type: Optional[str] = None,
    entity_id: Optional[str] = None,
    description: Optional[str] = None,
    details: Optional[Dict[str, Any]] = None,
) -> None:
    """Queues one event shaped like Vigil's own audit records (type, severity, outcome, actor,
    client address, `details` with the request's method, path and user agent). Any failure is
    logged and swallowed: auditing must never break the app's request."""
    try:
        client = conf.client()
        if client is None:
            return
        settings = conf.current()
        if actor is None and request is not None:
            actor = username(getattr(request, "user", None))
        merged = request_details(request)
        merged.update(details or {})
        event = {
            "type": event_type,
            "severity": severity,
            "outcome": outcome,
            "actor": clip(actor),
            "source": settings.source,
            "ip": client_address(request, settings.trusted_proxies) if request is not None else None,
            "entity_type": clip(entity_type),
            "entity_id": clip(entity_id),
            "description": clip(description, 4096),
            "details": merged,
        }
        client.send({k: v for k, v in event.items() if v is not None})
    except Exception:  # noqa: BLE001 - see the docstring
        logger.exception("vigil_client: could not queue %s", event_type)
