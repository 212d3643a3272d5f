"""Notification receivers on 127.0.0.1 for the end-to-end suite."""
import base64
import hashlib
import hmac
import http.server
import json
import threading
import time

from vigil_harness import free_port


def verify_standard_webhook(secret, headers, body):
    """Standard Webhooks: v1,<base64 HMAC-SHA256 of "id.timestamp.body"> keyed by the base64 part of whsec_."""
    key = base64.b64decode(secret[len("whsec_"):])
    message = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()
    signatures = [s.split(",", 1)[1] for s in headers["webhook-signature"].split(" ") if s.startswith("v1,")]
    return any(hmac.compare_digest(expected, s) for s in signatures)


class WebhookReceiver:
    """Records every POST (headers, body, arrival time); answers `status` (settable)."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.received = []
        self.status = 200
        self.lock = threading.Lock()
        self.server = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    receiver.received.append({"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body, "at": time.time()})
                    status = receiver.status
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def bodies(self):
        with self.lock:
            return [json.loads(r["body"]) for r in self.received]

    def wait_for(self, predicate, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                if predicate(list(self.received)):
                    return list(self.received)
            time.sleep(0.02)
        with self.lock:
            return list(self.received)


def _import_aiosmtpd():
    """Debian's python3-aiosmtpd (installed by .ci/run) lives in the system's dist-packages,
    which a pyenv or venv Python does not search; look there last."""
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        import sys
        sys.path.append("/usr/lib/python3/dist-packages")
        import aiosmtpd  # noqa: F401


class SMTPReceiver:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message it accepts.

    security: "none", "starttls" (STARTTLS required before MAIL) or "tls" (TLS from the first
    byte); with `credentials` (user, password) AUTH is required, and only over TLS."""

    def __init__(self, security="none", cert=None, key=None, credentials=None):
        _import_aiosmtpd()
        self.port = free_port()
        self.security = security
        self.cert, self.key = cert, key
        self.credentials = credentials
        self.messages = []
        self.auth_logins = []
        self.lock = threading.Lock()
        self.controller = None

    def start(self):
        import ssl
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        receiver = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                with receiver.lock:
                    receiver.messages.append({
                        "from": envelope.mail_from, "to": list(envelope.rcpt_tos), "data": envelope.original_content,
                        "at": time.time(), "tls": session.ssl is not None or receiver.security == "tls",
                    })
                return "250 Message accepted for delivery"

        def authenticate(server, session, envelope, mechanism, auth_data):
            user, password = auth_data.login.decode(), auth_data.password.decode()
            receiver.auth_logins.append((mechanism, user))
            return AuthResult(success=(user, password) == receiver.credentials, handled=False)

        options = {"hostname": "127.0.0.1", "port": self.port, "ready_timeout": 10}
        if self.credentials:
            # aiosmtpd only counts STARTTLS as TLS for auth_require_tls; with TLS from the first
            # byte the whole session is encrypted anyway.
            options.update(authenticator=authenticate, auth_require_tls=self.security != "tls", auth_required=True)
        if self.security != "none":
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(self.cert, self.key)
            if self.security == "starttls":
                options.update(tls_context=context, require_starttls=True)
            else:
                options.update(ssl_context=context)
        self.controller = Controller(Handler(), **options)
        self.controller.start()
        return self

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    def wait_for(self, count, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        with self.lock:
            return list(self.messages)


def self_signed_certificate(directory):
    """A certificate for localhost and 127.0.0.1 (its own CA), as (cert.pem, key.pem)."""
    import os
    import subprocess
    cert, key = os.path.join(directory, "smtp-cert.pem"), os.path.join(directory, "smtp-key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-addext", "basicConstraints=critical,CA:TRUE"],
        check=True, capture_output=True,
    )
    return cert, key
