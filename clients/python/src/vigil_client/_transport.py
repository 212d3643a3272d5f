"""HTTP to Vigil with the standard library: one keep-alive connection per thread."""
from __future__ import annotations

import http.client
import json
import socket
import ssl
import threading
import urllib.parse
from typing import Any, Dict, Optional, Tuple

from .errors import VigilConnectionError, VigilError, error_from_response

USER_AGENT = "vigil-client-python/0.22.0"


class Response:
    def __init__(self, status: int, headers: Dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


class Transport:
    """Sends requests to one Vigil with one API key. Thread-safe: each thread has its own
    connection, reopened after any failure (a half-read answer never leaks into the next)."""

    def __init__(self, url: str, api_key: str, timeout: float = 10.0, ssl_context: Optional[ssl.SSLContext] = None) -> None:
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(f"VIGIL url must be http(s)://host[:port][/path], not {url!r}")
        if not api_key or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in api_key):
            # A key with a line break would be a header injection, refused only at send time.
            raise ValueError("an API key is required (vgl_...), without spaces or control characters")
        self.scheme = parsed.scheme
        self.host = parsed.hostname
        self.port = parsed.port
        self.base_path = parsed.path.rstrip("/")
        self.timeout = timeout
        self.ssl_context = ssl_context
        self._api_key = api_key
        self._local = threading.local()

    def __repr__(self) -> str:
        # Never the key: reprs end up in logs and tracebacks.
        return f"Transport({self.scheme}://{self.host}:{self.port or ''}{self.base_path})"

    def _connection(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self.scheme == "https":
                context = self.ssl_context or ssl.create_default_context()
                conn = http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout, context=context)
            else:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def request(self, method: str, path: str, query: Optional[Dict[str, Any]] = None, body: Optional[bytes] = None, content_type: str = "application/json") -> Response:
        """One request; a connection error is `VigilConnectionError`, any answer is returned."""
        target = self.base_path + path
        if query:
            target += "?" + urllib.parse.urlencode(query, doseq=True)
        headers = {"Authorization": f"Bearer {self._api_key}", "Accept": "application/json", "User-Agent": USER_AGENT}
        if body is not None:
            headers["Content-Type"] = content_type
        # A kept-alive connection the server has closed fails on first use: try once more on a new one.
        for attempt in (0, 1):
            conn = self._connection()
            try:
                conn.request(method, target, body=body, headers=headers)
                answer = conn.getresponse()
                data = answer.read()
                return Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, data)
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                self.close()
                if attempt == 1:
                    raise VigilConnectionError(f"Vigil closed the connection: {error}", code="connection_failed") from error
            except (OSError, http.client.HTTPException, socket.timeout) as error:
                self.close()
                raise VigilConnectionError(f"could not reach Vigil: {error}", code="connection_failed") from error
        raise AssertionError("unreachable")

    def call(self, method: str, path: str, query: Optional[Dict[str, Any]] = None, body: Optional[bytes] = None, content_type: str = "application/json") -> Tuple[int, Any]:
        """A request whose non-2xx answer is raised as the typed `VigilError`; returns (status, JSON)."""
        response = self.request(method, path, query=query, body=body, content_type=content_type)
        if not 200 <= response.status < 300:
            raise error_from_response(response.status, response.headers, response.body)
        try:
            return response.status, (response.json() if response.body else None)
        except ValueError as error:
            raise VigilError(f"Vigil answered {response.status} with a body that is not JSON", status=response.status) from error
