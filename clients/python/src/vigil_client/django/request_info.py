"""Who is asking, from where: what the hooks learn from a Django request."""
from __future__ import annotations

import contextvars
import ipaddress
from typing import Any, Dict, Optional, Sequence

from .conf import Network

# The request being handled on this thread or task, set by `VigilMiddleware`, so a model
# change made while handling it is recorded with its user and address.
current_request: contextvars.ContextVar[Optional[Any]] = contextvars.ContextVar("vigil_current_request", default=None)

MAX_FIELD_BYTES = 256


def clip(text: Optional[str], limit: int = MAX_FIELD_BYTES) -> Optional[str]:
    """At most `limit` bytes of UTF-8 (Vigil's bound for short fields), cut on a character."""
    if text is None:
        return None
    data = str(text).encode("utf-8")
    if len(data) <= limit:
        return str(text)
    return data[:limit].decode("utf-8", errors="ignore")


def _address(text: Optional[str]) -> Optional[ipaddress._BaseAddress]:
    if not text:
        return None
    try:
        # A zone (`fe80::1%eth0`) means nothing off this host, and Vigil refuses it: drop it.
        return ipaddress.ip_address(text.strip().split("%", 1)[0])
    except ValueError:
        return None


def client_address(request: Any, trusted: Sequence[Network]) -> Optional[str]:
    """The client's address: `REMOTE_ADDR`, or, when that is a trusted proxy, the nearest
    address in `X-Forwarded-For` (read from the right) that is not one. Addresses a client
    wrote itself are never believed past the first untrusted hop."""
    meta = getattr(request, "META", None) or {}
    address = _address(meta.get("REMOTE_ADDR"))
    if address is None or not trusted:
        return str(address) if address is not None else None
    hops = [hop for hop in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",") if hop.strip()]
    while any(address in network for network in trusted) and hops:
        previous = _address(hops.pop())
        if previous is None:
            break
        address = previous
    return str(address)


def username(user: Any) -> Optional[str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return clip(user.get_username())
    except Exception:  # noqa: BLE001 - a custom user model must not break auditing
        return None


def request_details(request: Any) -> Dict[str, Any]:
    """Method, path and user agent, each bounded (they are the client's text)."""
    if request is None:
        return {}
    meta = getattr(request, "META", None) or {}
    details: Dict[str, Any] = {}
    method = getattr(request, "method", None)
    if method:
        details["method"] = clip(method, 16)
    path = getattr(request, "path", None)
    if path:
        details["path"] = clip(path)
    agent = meta.get("HTTP_USER_AGENT")
    if agent:
        details["user_agent"] = clip(agent)
    return details
