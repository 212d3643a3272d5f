#!/usr/bin/env python3
"""Log-source benchmark (docs/benchmarks.md, issue 19): one `vigil serve` (release build) with its
syslog UDP and TCP listeners on 127.0.0.1, senders in this process on the same 2-core machine.

  scripts/bench_syslog.py [DATABASE_URL]      # default: a fresh SQLite file

Rows: messages/s over TCP (1 and 4 connections, octet-counted RFC 5424 frames sent as fast as the
socket takes them; counted until the last is committed), over UDP (datagrams as fast as one
socket sends them; what was stored per second of sending plus draining, and what was lost), UDP
paced at 5,000 and 10,000 messages/s (what was lost), and message → stored latency (p50/p99) at a
steady 1,000 messages/s on each transport.

Stored-time is read from `vigil_log_messages_total{listener=…}` in /metrics, polled every 2 ms:
message i of a steady stream is stored when the counter reaches i (a TCP connection commits in
order; for UDP, order within a batch is the arrival order). The polling adds up to ~2 ms plus one
/metrics request to each latency. Everything is bounded in time and talks only to loopback.
"""
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BIN = os.environ.get("VIGIL_BIN", ".build-release/release/vigil")
PASSWORD = "bench-admin-password"
MESSAGES = int(os.environ.get("MESSAGES", "200000"))


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, database_url):
        self.workdir = tempfile.mkdtemp(prefix="vigil-bench-syslog-")
        self.http = free_port()
        self.udp = free_port(socket.SOCK_DGRAM)
        self.tcp = free_port()
        env = dict(os.environ, VIGIL_HOST="127.0.0.1", VIGIL_PORT=str(self.http), VIGIL_ADMIN_PASSWORD=PASSWORD,
                   VIGIL_DATABASE_URL=database_url or f"sqlite://{self.workdir}/vigil.sqlite", VIGIL_LOG_LEVEL="warning",
                   VIGIL_SYSLOG_UDP=f"127.0.0.1:{self.udp}", VIGIL_SYSLOG_TCP=f"127.0.0.1:{self.tcp}")
        self.proc = subprocess.Popen([BIN, "serve"], env=env, stderr=open(os.path.join(self.workdir, "stderr"), "wb"))
        deadline = time.time() + 60
        while True:
            try:
                if self.call("GET", "/readyz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.time() < deadline and self.proc.poll() is None, "vigil did not start"
            time.sleep(0.1)
        status, body = self.call("POST", "/api/v1/auth/login", {"username": "admin", "password": PASSWORD})
        self.token = json.loads(body)["access_token"]
        self.conn = http.client.HTTPConnection("127.0.0.1", self.http, timeout=10)
        time.sleep(0.5)

    def call(self, method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.http, timeout=10)
        headers = {"Content-Type": "application/json"}
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()

    def stored(self, listener):
        self.conn.request("GET", "/metrics", headers={"Authorization": f"Bearer {self.token}"})
        text = self.conn.getresponse().read().decode()
        prefix = f'vigil_log_messages_total{{listener="{listener}"}} '
        for line in text.splitlines():
            if line.startswith(prefix):
                return int(float(line[len(prefix):]))
        return 0

    def wait_stored(self, listener, count, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            current = self.stored(listener)
            if current >= count:
                return time.time(), current
            time.sleep(0.01)
        return time.time(), self.stored(listener)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=60)


def frame(index, tag="bench"):
    message = f"<134>1 2026-12-05T12:00:00Z host-{index % 50} {tag} {index} - - request {index} from 10.0.{index % 256}.{index % 200} took {index % 997} ms"
    data = message.encode()
    return f"{len(data)} ".encode() + data


def tcp_throughput(server, connections, total):
    before = server.stored("syslog-tcp")
    per = total // connections
    payloads = [b"".join(frame(c * per + i) for i in range(per)) for c in range(connections)]
    start = time.time()

    def send(payload):
        with socket.create_connection(("127.0.0.1", server.tcp)) as sock:
            sock.sendall(payload)

    threads = [threading.Thread(target=send, args=(p,)) for p in payloads]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done, stored = server.wait_stored("syslog-tcp", before + per * connections)
    return (stored - before) / (done - start), stored - before


def udp_throughput(server, total):
    before = server.stored("syslog-udp")
    datagrams = [frame(i).split(b" ", 1)[1] for i in range(total)]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 * 1024 * 1024)
    start = time.time()
    for datagram in datagrams:
        sock.sendto(datagram, ("127.0.0.1", server.udp))
    sent = time.time()
    # Drained when the counter stops moving for a second.
    last, stable_since = -1, time.time()
    while time.time() - stable_since < 1.0:
        current = server.stored("syslog-udp")
        if current != last:
            last, stable_since = current, time.time()
        time.sleep(0.05)
    stored = last - before
    return stored / (stable_since - start), stored, total / (sent - start)


def pace(target):
    """Sleeps (not spins: the server shares the machine's two cores) until `target`."""
    delay = target - time.time()
    if delay > 0:
        time.sleep(delay)


def udp_paced(server, rate, seconds=10):
    before = server.stored("syslog-udp")
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    count = rate * seconds
    start = time.time()
    for i in range(count):
        if i % 50 == 0:
            pace(start + i / rate)
        sock.sendto(frame(i, "paced").split(b" ", 1)[1], ("127.0.0.1", server.udp))
    _, stored = server.wait_stored("syslog-udp", before + count, timeout=10)
    return stored - before, count


def latency(server, transport, rate=1000, seconds=10):
    listener = f"syslog-{transport}"
    before = server.stored(listener)
    count = rate * seconds
    sent_at = [0.0] * count
    stored_at = [None] * count
    finished = threading.Event()

    def poll():
        poller = Server.__new__(Server)
        poller.http, poller.token = server.http, server.token
        poller.conn = http.client.HTTPConnection("127.0.0.1", server.http, timeout=10)
        seen = 0
        while not finished.is_set() and seen < count:
            current = poller.stored(listener) - before
            now = time.time()
            for i in range(seen, min(current, count)):
                stored_at[i] = now
            seen = max(seen, min(current, count))
            time.sleep(0.002)

    watcher = threading.Thread(target=poll)
    watcher.start()
    if transport == "tcp":
        sock = socket.create_connection(("127.0.0.1", server.tcp))
        # Without it Nagle holds each small write until the previous one is acknowledged, and
        # the receiver's delayed ACK makes that up to 40 ms: the sender's latency, not Vigil's.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        send = lambda data: sock.sendall(data)
    else:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        send = lambda data: sock.sendto(data.split(b" ", 1)[1], ("127.0.0.1", server.udp))
    start = time.time()
    for i in range(count):
        pace(start + i / rate)
        sent_at[i] = time.time()
        send(frame(i, "latency"))
    deadline = time.time() + 30
    while stored_at[-1] is None and time.time() < deadline:
        time.sleep(0.01)
    finished.set()
    watcher.join()
    sock.close()
    latencies = sorted((s - t) * 1000 for s, t in zip(stored_at, sent_at) if s is not None)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    return statistics.median(latencies), p99, len(latencies), count


def main():
    database_url = sys.argv[1] if len(sys.argv) > 1 else None
    server = Server(database_url)
    try:
        rows = []
        # Latency first, on an idle server: after the throughput rows the detector and rollups
        # are still working through hundreds of thousands of events and share the database.
        for transport in ("tcp", "udp"):
            p50, p99, stored, sent = latency(server, transport)
            rows.append(f"| {transport.upper()} at 1,000 msgs/s for 10 s: message → stored | p50 {p50:.1f} ms, p99 {p99:.1f} ms | {stored:,} of {sent:,} stored |")
        for connections in (1, 4):
            rate, stored = tcp_throughput(server, connections, MESSAGES)
            rows.append(f"| TCP, {connections} connection{'s' if connections > 1 else ''}, octet-counted | {rate:,.0f} msgs/s | {stored:,} of {MESSAGES:,} stored |")
        rate, stored, send_rate = udp_throughput(server, MESSAGES)
        rows.append(f"| UDP, one sender as fast as it can ({send_rate:,.0f} datagrams/s sent) | {rate:,.0f} msgs/s | {stored:,} of {MESSAGES:,} stored ({100 * (1 - stored / MESSAGES):.1f} % lost) |")
        for paced in (5000, 10000):
            stored, sent = udp_paced(server, paced)
            rows.append(f"| UDP paced at {paced:,} msgs/s for 10 s | {100 * (1 - stored / sent):.2f} % lost | {stored:,} of {sent:,} stored |")
        print("| load | result | |\n| --- | --- | --- |")
        print("\n".join(rows))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
