"""Typed errors: one class per kind of answer, each carrying Vigil's problem `code`."""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Tuple


class VigilError(Exception):
    """Vigil refused a request (or could not be reached).

    `status` is the HTTP status (None when no answer came), `code` the stable machine-readable
    code of Vigil's RFC 9457 problem (`validation_failed`, `id_conflict`, ...), `errors` the
    `(field, message)` pairs of a validation answer, `retry_after` the seconds Vigil asked to
    wait (429, 503), `problem` the whole problem document.
    """

    def __init__(
        self,
        message: str,
        status: Optional[int] = None,
        code: Optional[str] = None,
        errors: Optional[List[Tuple[str, str]]] = None,
        retry_after: Optional[float] = None,
        problem: Optional[Dict[str, Any]] = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.errors = list(errors or [])
        self.retry_after = retry_after
        self.problem = dict(problem or {})

    @property
    def retryable(self) -> bool:
        """Whether the same request may succeed later unchanged."""
        return False


class VigilConnectionError(VigilError):
    """No answer: the connection failed, timed out or was cut (code `connection_failed`)."""

    @property
    def retryable(self) -> bool:
        return True


class ValidationError(VigilError):
    """400: the input is invalid (`validation_failed`, `malformed_json`); `errors` names each field."""


class AuthenticationError(VigilError):
    """401: the API key is missing, unknown, revoked or expired (`unauthenticated`)."""


class ForbiddenError(VigilError):
    """403: the key lacks the scope the request needs (`forbidden`)."""


class NotFoundError(VigilError):
    """404 (`not_found`)."""


class ConflictError(VigilError):
    """409: e.g. a client id reused with different content (`id_conflict`)."""


class PayloadTooLargeError(VigilError):
    """413 (`payload_too_large`)."""


class UnprocessableError(VigilError):
    """422: validated input the database refused as data (`unprocessable`)."""


class RateLimitedError(VigilError):
    """429: too many requests (`too_many_requests`); wait `retry_after` seconds."""

    @property
    def retryable(self) -> bool:
        return True


class UnavailableError(VigilError):
    """503: Vigil is overloaded or its database is down (`overloaded`, `unavailable`)."""

    @property
    def retryable(self) -> bool:
        return True


class ServerError(VigilError):
    """Any other 5xx (`internal_error`)."""

    @property
    def retryable(self) -> bool:
        return True


_BY_STATUS = {
    400: ValidationError,
    401: AuthenticationError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    422: UnprocessableError,
    429: RateLimitedError,
    503: UnavailableError,
}


def error_from_response(status: int, headers: Dict[str, str], body: bytes) -> VigilError:
    """The typed error for a non-2xx answer; tolerates a body that is not a problem document."""
    problem: Dict[str, Any] = {}
    try:
        decoded = json.loads(body.decode("utf-8")) if body else {}
        if isinstance(decoded, dict):
            problem = decoded
    except (UnicodeDecodeError, ValueError):
        pass
    code = problem.get("code") if isinstance(problem.get("code"), str) else None
    detail = problem.get("detail") if isinstance(problem.get("detail"), str) else None
    errors: List[Tuple[str, str]] = []
    for item in problem.get("errors") or []:
        if isinstance(item, dict):
            errors.append((str(item.get("field", "")), str(item.get("message", ""))))
    retry_after: Optional[float] = None
    raw = headers.get("retry-after")
    if raw is not None:
        try:
            retry_after = max(0.0, float(raw))
        except ValueError:
            retry_after = None
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else VigilError)
    message = f"Vigil answered {status}" + (f" ({code})" if code else "") + (f": {detail}" if detail else "")
    return cls(message, status=status, code=code, errors=errors, retry_after=retry_after, problem=problem)
