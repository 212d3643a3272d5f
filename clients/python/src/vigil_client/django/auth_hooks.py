"""Logins, failed logins and logouts, from `django.contrib.auth`'s signals."""
from __future__ import annotations

from typing import Any, Mapping, Optional

from .events import record
from .request_info import username


def _user_entity(user: Any) -> Optional[str]:
    pk = getattr(user, "pk", None)
    return None if pk is None else str(pk)


def logged_in(sender: Any, request: Any = None, user: Any = None, **_: Any) -> None:
    record(
        "auth.login.succeeded",
        request=request,
        actor=username(user),
        entity_type="user",
        entity_id=_user_entity(user),
        description="login succeeded",
    )


def login_failed(sender: Any, credentials: Optional[Mapping[str, Any]] = None, request: Any = None, **_: Any) -> None:
    # Django has already masked the sensitive credentials; only the attempted username is
    # sent (as the actor, as Vigil records its own failed logins), never another credential.
    attempted = _attempted_username(credentials or {})
    record(
        "auth.login.failed",
        request=request,
        severity="medium",
        outcome="failure",
        actor=attempted,
        description="login failed: invalid credentials",
        details={"reason": "invalid_credentials"},
    )


def logged_out(sender: Any, request: Any = None, user: Any = None, **_: Any) -> None:
    record(
        "auth.logout",
        request=request,
        actor=username(user),
        entity_type="user" if user is not None else None,
        entity_id=_user_entity(user),
        description="logout",
    )


def _attempted_username(credentials: Mapping[str, Any]) -> Optional[str]:
    try:
        from django.contrib.auth import get_user_model

        field = get_user_model().USERNAME_FIELD
    except Exception:  # noqa: BLE001 - a broken user model still gets its failures recorded
        field = "username"
    for key in (field, "username", "email"):
        value = credentials.get(key)
        if isinstance(value, str) and value:
            return value
    return None
