"""The integration's settings, read once, and the process's one `Vigil` client."""
from __future__ import annotations

import ipaddress
import logging
import threading
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Tuple, Union

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .._client import Vigil

logger = logging.getLogger("vigil_client")

Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]

# A field is secret (its value is never sent, only its name) when the settings name it, when
# its name contains one of the unambiguous words (`sessiontoken`, `db_password`), or when one of
# its `_`-separated parts is one of the short words (`api_key`, `pin`, but not `keynote`).
SECRET_SUBSTRINGS = ("password", "passwd", "passphrase", "secret", "token", "apikey", "credential", "privatekey")
SECRET_PARTS = frozenset({"pwd", "key", "salt", "otp", "pin", "totp", "mfa", "ssn", "cvv", "cvc", "iban", "card", "hash", "signature", "private"})


class ModelRule:
    """What to record about one model: every concrete field except `exclude`; values of every
    field except the secret ones."""

    def __init__(self, label: str, secret: FrozenSet[str], exclude: FrozenSet[str]) -> None:
        self.label = label
        self.secret = secret
        self.exclude = exclude


class Settings:
    def __init__(self) -> None:
        self.url: Optional[str] = getattr(settings, "VIGIL_URL", None)
        self.api_key: Optional[str] = getattr(settings, "VIGIL_API_KEY", None)
        self.source: str = str(getattr(settings, "VIGIL_SOURCE", "django"))[:256]
        self.auto_middleware: bool = bool(getattr(settings, "VIGIL_AUTO_MIDDLEWARE", True))
        self.client_options: Dict[str, Any] = dict(getattr(settings, "VIGIL_CLIENT_OPTIONS", {}) or {})
        extra = getattr(settings, "VIGIL_SECRET_FIELDS", ()) or ()
        self.secret_names = frozenset(str(name).lower() for name in extra)
        self.trusted_proxies = _networks(getattr(settings, "VIGIL_TRUSTED_PROXIES", ()) or ())
        self.models = _model_rules(getattr(settings, "VIGIL_MODELS", ()) or ())

    @property
    def enabled(self) -> bool:
        return bool(self.url and self.api_key)

    def is_secret(self, rule: ModelRule, name: str) -> bool:
        lowered = name.lower()
        if lowered in rule.secret or lowered in self.secret_names:
            return True
        if any(word in lowered for word in SECRET_SUBSTRINGS):
            return True
        return any(part in SECRET_PARTS for part in lowered.split("_"))


def _networks(values: Any) -> Tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(str(v), strict=False) for v in values)
    except ValueError as error:
        raise ImproperlyConfigured(f"VIGIL_TRUSTED_PROXIES: {error}") from error


def _model_rules(value: Any) -> Dict[str, ModelRule]:
    """`["shop.Order", ...]` or `{"shop.Order": {"secret": [...], "exclude": [...]}}`, keyed
    by the lowercase model label."""
    items: List[Tuple[str, Mapping[str, Any]]]
    if isinstance(value, Mapping):
        items = [(str(k), v or {}) for k, v in value.items()]
    else:
        items = [(str(k), {}) for k in value]
    rules: Dict[str, ModelRule] = {}
    for label, options in items:
        if label.count(".") != 1:
            raise ImproperlyConfigured(f"VIGIL_MODELS: {label!r} is not an 'app_label.ModelName' label")
        unknown = set(options) - {"secret", "exclude"}
        if unknown:
            raise ImproperlyConfigured(f"VIGIL_MODELS[{label!r}]: unknown options {sorted(unknown)}")
        rules[label.lower()] = ModelRule(
            label.lower(),
            frozenset(str(f).lower() for f in options.get("secret", ())),
            frozenset(str(f) for f in options.get("exclude", ())),
        )
    return rules


_lock = threading.Lock()
_settings: Optional[Settings] = None
_client: Optional[Vigil] = None


def current() -> Settings:
    global _settings
    with _lock:
        if _settings is None:
            _settings = Settings()
        return _settings


def client() -> Optional[Vigil]:
    """The process's `Vigil`, created on first use; None when VIGIL_URL or VIGIL_API_KEY is unset."""
    global _client
    conf = current()
    if not conf.enabled:
        return None
    with _lock:
        if _client is None:
            _client = Vigil(str(conf.url), str(conf.api_key), **conf.client_options)
        return _client
