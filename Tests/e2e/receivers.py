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
