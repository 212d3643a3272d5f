"""Hostile input against the real binary on 127.0.0.1 (security review findings): legitimate
ingests beside a stream of junk on both engines, STARTTLS reply injection, channels aimed at
internal addresses, slow connections, and the database file's mode."""
import base64
import os
import shutil
import socket
import ssl
import stat
import tempfile
import threading
import time
import uuid

import pytest

from receivers import WebhookReceiver, self_signed_certificate
from test_postgres_cluster import start_nodes, stop_nodes
from vigil_harness import ADMIN_PASSWORD, Client, VigilServer, free_port, login


@pytest.fixture(params=["sqlite", "postgres"])
def node(request):
    """A fresh server of each engine."""
    if request.param == "sqlite":
        server = VigilServer().start()
        try:
            yield server
        finally:
            server.stop()
            shutil.rmtree(server.workdir, ignore_errors=True)
    else:
        pg_cluster = request.getfixturevalue("pg_cluster")
        _, nodes = start_nodes(pg_cluster, 1)
        try:
            yield nodes[0]
        finally:
            stop_nodes(nodes)


def cursor(tag, micros):
    raw = f"{tag}|desc|{micros}|00000000-0000-7000-8000-000000000000".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def junk_requests(token):
    """(method, path, body, headers, token) that must never cost anyone an event or a 5xx."""
    long_path = "/api/v1/events/" + "a" * 2100
    return [
        ("GET", long_path, None, {}, "not-a-token"),
        ("GET", "/api/v1/alerts/" + "b" * 3000, None, {"User-Agent": "é" * 3000}, "junk"),
        ("GET", f"/api/v1/events?cursor={cursor('e1', -9223372036854775808)}", None, {}, token),
        ("GET", f"/api/v1/alerts?cursor={cursor('a1', 9223372036854775807)}", None, {}, token),
        ("GET", f"/api/v1/deliveries?cursor={cursor('d1', -9223372036854775808)}", None, {}, token),
        ("POST", "/api/v1/events", {"type": "t", "occurred_at": "0000-06-01T00:00:00Z"}, {}, token),
        ("POST", "/api/v1/events", {"type": "t", "description": "w" * 2100, "actor": "x" * 256}, {}, token),
        ("POST", "/api/v1/events", {"type": "t", "actor": "a" + "\u0301" * 2000}, {}, token),
        ("POST", "/api/v1/auth/login", b'{"username":"' + b"z" * 9000 + b'","password":"p"}', {}, None),
        ("POST", "/api/v1/auth/refresh", {"refresh_token": "forged"}, {}, None),
    ]


def test_legitimate_ingests_all_commit_beside_junk(node):
    client = node.client()
    token = login(client, "admin", ADMIN_PASSWORD)
    junk = junk_requests(token)
    statuses, legit, failures = [], [], []
    stop = threading.Event()

    def attacker(offset):
        c = Client(node.port, timeout=30)
        i = offset
        while not stop.is_set():
            method, path, body, headers, bearer = junk[i % len(junk)]
            i += 1
            try:
                statuses.append(c.call(method, path, body, token=bearer, headers=headers).status)
            except OSError as error:  # a closed connection is an answer; a dead node is not
                failures.append(repr(error))
                c.close()

    def ingester(count):
        c = Client(node.port, timeout=30)
        for _ in range(count):
            legit.append(c.call("POST", "/api/v1/events", {"type": "legit.ingest", "id": str(uuid.uuid4())}, token=token).status)

    attackers = [threading.Thread(target=attacker, args=(n,)) for n in range(8)]
    ingesters = [threading.Thread(target=ingester, args=(50,)) for _ in range(8)]
    for t in attackers + ingesters:
        t.start()
    for t in ingesters:
        t.join(timeout=240)
    stop.set()
    for t in attackers:
        t.join(timeout=60)
    assert node.proc.poll() is None, node.read_stderr()[-3000:]
    assert legit == [201] * 400, sorted(set(legit))
    assert statuses and all(s < 500 for s in statuses), sorted(set(statuses))
    assert len(failures) <= len(statuses) // 100, failures[:5]
    listed = client.call("GET", "/api/v1/events?type=legit.ingest&limit=1000", token=token).json()["items"]
    assert len(listed) == 400


class InjectingSMTPServer:
    """Answers STARTTLS with 220 followed, in the same write, by forged replies for everything
    that comes after; then completes TLS and rejects every command (the real server's view)."""

    def __init__(self, cert, key):
        self.port = free_port()
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert, key)
        self.accepted_mail = False
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", self.port))
        self.sock.listen(4)
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.converse, args=(conn,), daemon=True).start()

    def converse(self, conn):
        try:
            conn.settimeout(10)
            conn.sendall(b"220 injector ESMTP\r\n")
            file = conn.makefile("rb")
            file.readline()  # EHLO
            conn.sendall(b"250-injector\r\n250 STARTTLS\r\n")
            file.readline()  # STARTTLS
            conn.sendall(b"220 go ahead\r\n250 forged-ehlo\r\n250 forged-mail\r\n250 forged-rcpt\r\n354 forged-data\r\n250 forged-accepted\r\n")
            tls = self.context.wrap_socket(conn, server_side=True)
            tls_file = tls.makefile("rb")
            while True:
                line = tls_file.readline()
                if not line:
                    return
                if line.upper().startswith(b"DATA"):
                    self.accepted_mail = True
                tls.sendall(b"554 rejected\r\n")
        except (OSError, ssl.SSLError):
            return

    def stop(self):
        self.sock.close()


def test_replies_injected_before_starttls_are_refused():
    directory = tempfile.mkdtemp(prefix="vigil-e2e-inject-")
    cert, key = self_signed_certificate(directory)
    smtp = InjectingSMTPServer(cert, key)
    server = VigilServer(env={"VIGIL_SMTP_CA_FILE": cert, "VIGIL_NOTIFICATION_TIMEOUT": "5"}).start()
    try:
        client = server.client()
        token = login(client, "admin", ADMIN_PASSWORD)
        channel = client.call("POST", "/api/v1/channels", {"name": "mail", "kind": "email", "config": {
            "host": "127.0.0.1", "port": smtp.port, "security": "starttls", "from": "vigil@example.org",
            "to": ["soc@example.org"]}}, token=token).json()
        answer = client.call("POST", f"/api/v1/channels/{channel['id']}/test", token=token).json()
        assert answer["delivered"] is False, answer
        assert answer["error"] == "the server sent data before TLS started", answer
        assert not smtp.accepted_mail
    finally:
        server.stop()
        smtp.stop()
        shutil.rmtree(server.workdir, ignore_errors=True)
        shutil.rmtree(directory, ignore_errors=True)


def test_channels_cannot_reach_internal_addresses_unless_allowed():
    receiver = WebhookReceiver().start()
    server = VigilServer(env={"VIGIL_ALLOW_PRIVATE_TARGETS": "false"}).start()
    try:
        client = server.client()
        token = login(client, "admin", ADMIN_PASSWORD)
        for url in [receiver.url, "http://169.254.169.254/latest/meta-data/", "http://localhost:9/x", "http://[::1]:9/x"]:
            channel = client.call("POST", "/api/v1/channels", {"name": f"c{uuid.uuid4().hex[:8]}", "kind": "webhook",
                                                               "config": {"url": url}}, token=token).json()
            answer = client.call("POST", f"/api/v1/channels/{channel['id']}/test", token=token).json()
            assert answer["delivered"] is False and answer["status_code"] is None, (url, answer)
            assert answer["error"] == "destination not allowed (internal address)", (url, answer)
        assert receiver.received == []
        tests = client.call("GET", "/api/v1/events?type=channel.tested", token=token).json()["items"]
        assert len(tests) == 4, "every channel test is on record"
    finally:
        server.stop()
        receiver.stop()
        shutil.rmtree(server.workdir, ignore_errors=True)


def test_slow_clients_are_disconnected_and_do_not_block_others():
    server = VigilServer(env={"VIGIL_IDLE_TIMEOUT": "2"}).start()
    sockets = []
    try:
        for _ in range(50):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # a head that never ends
            sockets.append(s)
        assert server.client().call("GET", "/healthz").status == 200
        time.sleep(4)
        closed = 0
        for s in sockets:
            s.settimeout(5)
            try:
                closed += s.recv(1024) == b""
            except ConnectionResetError:
                closed += 1
            except socket.timeout:
                pass
        assert closed == 50, f"{closed} of 50 slow connections were closed"
    finally:
        for s in sockets:
            s.close()
        server.stop()
        shutil.rmtree(server.workdir, ignore_errors=True)


def test_the_sqlite_file_is_readable_by_its_owner_only():
    server = VigilServer()
    with open(server.db, "w"):
        pass
    os.chmod(server.db, 0o644)
    server.start()
    try:
        assert stat.S_IMODE(os.stat(server.db).st_mode) == 0o600
        wal = server.db + "-wal"
        if os.path.exists(wal):
            assert stat.S_IMODE(os.stat(wal).st_mode) & 0o077 == 0
    finally:
        server.stop()
        shutil.rmtree(server.workdir, ignore_errors=True)
