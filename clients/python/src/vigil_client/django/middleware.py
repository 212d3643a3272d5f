"""`VigilMiddleware`: records every 403 as `access.denied` and lets model changes made while
handling a request name its user and address. `apps.py` inserts it after Django's
AuthenticationMiddleware unless MIDDLEWARE lists it already or VIGIL_AUTO_MIDDLEWARE is False."""
from __future__ import annotations

from typing import Any, Callable

from django.core.exceptions import PermissionDenied

from .events import record
from .request_info import clip, current_request

_REASON = "_vigil_denied_reason"


class VigilMiddleware:
    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        if getattr(response, "status_code", None) == 403:
            _record_denial(request, response)
        return response

    def process_exception(self, request: Any, exception: BaseException) -> None:
        # Django turns PermissionDenied into the 403 `__call__` sees; keep its reason.
        if isinstance(exception, PermissionDenied):
            setattr(request, _REASON, str(exception) or "permission_denied")
        return None


def _record_denial(request: Any, response: Any) -> None:
    reason = getattr(request, _REASON, None) or "forbidden"
    match = getattr(request, "resolver_match", None)
    route = getattr(match, "route", None) or "(no route)"
    # The description names the route pattern, never the raw path (the client's text); the
    # path, bounded, is in details.
    record(
        "access.denied",
        request=request,
        severity="medium",
        outcome="failure",
        description=clip(f"{request.method} {route} denied (403)", 4096),
        details={"status": 403, "reason": clip(reason)},
    )
