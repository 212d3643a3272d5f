"""vigil-client: send audit events to Vigil, query them back.

    from vigil_client import Vigil
    vigil = Vigil("https://vigil.example.com", "vgl_...")
    vigil.send({"type": "order.refunded", "actor": "alice", "ip": "203.0.113.7", "details": {"order": 42}})

Django: add "vigil_client.django" to INSTALLED_APPS and set VIGIL_URL and VIGIL_API_KEY.
"""
from ._client import Vigil
from ._events import uuid7
from .errors import (
    AuthenticationError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    PayloadTooLargeError,
    RateLimitedError,
    ServerError,
    UnavailableError,
    UnprocessableError,
    ValidationError,
    VigilConnectionError,
    VigilError,
)

__version__ = "0.22.0"

__all__ = [
    "Vigil",
    "uuid7",
    "VigilError",
    "VigilConnectionError",
    "ValidationError",
    "AuthenticationError",
    "ForbiddenError",
    "NotFoundError",
    "ConflictError",
    "PayloadTooLargeError",
    "UnprocessableError",
    "RateLimitedError",
    "UnavailableError",
    "ServerError",
]
