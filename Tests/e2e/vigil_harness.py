"""Runs the real `vigil` binary on 127.0.0.1 and talks to it over HTTP (stdlib only)."""
import http.client
import json
import os
import signal
import socket
import subprocess
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.environ.get("VIGIL_BIN", os.path.join(ROOT, ".build", "debug", "vigil"))
ADMIN_PASSWORD = "e2e-admin-password"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"<{self.status} {self.body[:300]!r}>"


class Client:
    """One keep-alive connection; not thread-safe (use one per thread)."""

    def __init__(self, port, timeout=30):
        self.port = port
        self.timeout = timeout
        self.conn = None

    def call(self, method, path, body=None, token=None, headers=None, content_type="application/json"):
        hdrs = dict(headers or {})
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            if isinstance(data, str):
                data = data.encode()
            hdrs.setdefault("Content-Type", content_type)
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                r = self.conn.getresponse()
                return Response(r.status, r.getheaders(), r.read())
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class VigilServer:
    """A `vigil serve` process on its own port, with its own SQLite file unless given a database URL."""

    def __init__(self, workdir=None, env=None, admin_password=ADMIN_PASSWORD, database_url=None, command=None):
        self.workdir = workdir or tempfile.mkdtemp(prefix="vigil-e2e-")
        self.db = os.path.join(self.workdir, "vigil.sqlite")
        self.database_url = database_url or f"sqlite://{self.db}"
        self.port = free_port()
        self.extra_env = env or {}
        # The argv that runs `vigil` (default: the built binary); `serve` is appended.
        self.command = command or [BINARY]
        self.admin_password = admin_password
        self.proc = None
        self.stderr_path = os.path.join(self.workdir, "stderr.log")

    def env(self):
        env = dict(os.environ)
        env.update({
            "VIGIL_HOST": "127.0.0.1",
            "VIGIL_PORT": str(self.port),
            "VIGIL_DATABASE_URL": self.database_url,
            "VIGIL_LOG_LEVEL": "info",
            # A crash test kills the server on purpose; do not let the backtracer hold the port.
            "SWIFT_BACKTRACE": "enable=no",
            # Receivers in these tests listen on 127.0.0.1, which channels may not target by default.
            "VIGIL_ALLOW_PRIVATE_TARGETS": "true",
        })
        if self.admin_password is not None:
            env["VIGIL_ADMIN_PASSWORD"] = self.admin_password
        else:
            env.pop("VIGIL_ADMIN_PASSWORD", None)
        env.update(self.extra_env)
        return env

    def start(self, timeout=60):
        self.stderr = open(self.stderr_path, "ab")
        self.proc = subprocess.Popen(self.command + ["serve"], env=self.env(), stdout=self.stderr, stderr=self.stderr, cwd=self.workdir)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"vigil exited with {self.proc.returncode}: {self.read_stderr()}")
            try:
                if Client(self.port, timeout=2).call("GET", "/readyz").status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("vigil did not become ready")

    def read_stderr(self):
        with open(self.stderr_path, "rb") as f:
            return f.read().decode(errors="replace")

    def client(self):
        return Client(self.port)

    def metric(self, name):
        """The value of an unlabelled Prometheus sample, or None (read as the admin)."""
        if getattr(self, "_metrics_token", None) is None:
            self._metrics_token = login(Client(self.port, timeout=30), "admin", self.admin_password or ADMIN_PASSWORD)
        text = Client(self.port, timeout=5).call("GET", "/metrics", token=self._metrics_token).body.decode()
        for line in text.splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
        return None

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def terminate(self, timeout=60):
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def run_cli(self, *args, stdin=None):
        return subprocess.run([BINARY, *args], env=self.env(), input=stdin, capture_output=True, text=True, timeout=120, cwd=self.workdir)


def login(client, username, password):
    r = client.call("POST", "/api/v1/auth/login", {"username": username, "password": password})
    assert r.status == 200, r
    return r.json()["access_token"]
