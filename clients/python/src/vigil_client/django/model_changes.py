"""Creates, updates and deletes of the models named in VIGIL_MODELS, sent once committed."""
from __future__ import annotations

import datetime as _dt
import decimal
import json
import logging
import math
import uuid
from typing import Any, Dict, List, Optional

from django.db import transaction

from . import conf
from .events import record
from .request_info import current_request

logger = logging.getLogger("vigil_client")

MAX_VALUE_CHARS = 200
MAX_DETAILS_CHARS = 24_000
_BEFORE = "_vigil_before"


def _rule(sender: Any) -> Optional[conf.ModelRule]:
    meta = getattr(sender, "_meta", None)
    if meta is None:
        return None
    return conf.current().models.get(meta.label_lower)


def _fields(sender: Any, rule: conf.ModelRule, update_fields: Any = None) -> List[Any]:
    fields = [f for f in sender._meta.concrete_fields if f.name not in rule.exclude and f.attname not in rule.exclude]
    if update_fields:
        wanted = set(update_fields)
        fields = [f for f in fields if f.name in wanted or f.attname in wanted]
    return fields


def _comparable(field: Any, value: Any) -> Any:
    try:
        return field.to_python(value)
    except Exception:  # noqa: BLE001 - compare the raw values then
        return value


def _json_value(value: Any) -> Any:
    """A bounded JSON value: scalars as they are, times ISO 8601, anything else as text."""
    if value is None or isinstance(value, bool) or isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(bytes(value))} bytes>"
    text = str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS] + "…"


def before_save(sender: Any, instance: Any, raw: bool = False, using: Optional[str] = None, update_fields: Any = None, **_: Any) -> None:
    """Reads the row as stored, to tell which fields the save changes."""
    try:
        rule = _rule(sender)
        if rule is None or raw or instance.pk is None:
            return
        fields = _fields(sender, rule, update_fields)
        stored = sender._base_manager.using(using).filter(pk=instance.pk).values(*[f.attname for f in fields]).first()
        instance.__dict__[_BEFORE] = stored
    except Exception:  # noqa: BLE001 - auditing must never break the save
        logger.exception("vigil_client: could not read %s before saving", sender)


def after_save(sender: Any, instance: Any, created: bool = False, raw: bool = False, using: Optional[str] = None, update_fields: Any = None, **_: Any) -> None:
    try:
        rule = _rule(sender)
        if rule is None or raw:
            return
        stored = instance.__dict__.pop(_BEFORE, None)
        fields = _fields(sender, rule, update_fields)
        changes: Dict[str, Any] = {}
        changed: List[str] = []
        for field in fields:
            new = getattr(instance, field.attname, None)
            if stored is None or created:
                if new is None or new == "":
                    continue
                old = None
            else:
                old = stored.get(field.attname)
                if _comparable(field, old) == _comparable(field, new):
                    continue
            changed.append(field.name)
            if not conf.current().is_secret(rule, field.name):
                changes[field.name] = {"from": _json_value(old), "to": _json_value(new)} if not created else {"to": _json_value(new)}
        if not changed and not created:
            return
        _on_commit(rule, "created" if created else "updated", instance, changed, changes, using)
    except Exception:  # noqa: BLE001 - auditing must never break the save
        logger.exception("vigil_client: could not record a change of %s", sender)


def after_delete(sender: Any, instance: Any, using: Optional[str] = None, **_: Any) -> None:
    try:
        rule = _rule(sender)
        if rule is None:
            return
        changes = {}
        for field in _fields(sender, rule):
            value = getattr(instance, field.attname, None)
            if value is not None and not conf.current().is_secret(rule, field.name):
                changes[field.name] = {"from": _json_value(value)}
        _on_commit(rule, "deleted", instance, [], changes, using)
    except Exception:  # noqa: BLE001 - auditing must never break the delete
        logger.exception("vigil_client: could not record a delete of %s", sender)


def _on_commit(rule: conf.ModelRule, verb: str, instance: Any, changed: List[str], changes: Dict[str, Any], using: Optional[str]) -> None:
    # Only what the database kept is recorded: a change rolled back sends nothing.
    request = current_request.get()
    entity_id = str(instance.pk)
    details: Dict[str, Any] = {"model": rule.label, "changed_fields": changed, "changes": changes}
    if len(json.dumps(details, default=str)) > MAX_DETAILS_CHARS:
        # Vigil keeps at most 32 KiB of details: the names always fit, the values may not.
        details["changes"] = {}
        details["changes_omitted"] = True
    description = f"{rule.label} {entity_id} {verb}"

    def send() -> None:
        record(f"{rule.label}.{verb}", request=request, entity_type=rule.label, entity_id=entity_id, description=description, details=details)

    transaction.on_commit(send, using=using)
