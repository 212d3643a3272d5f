#!/usr/bin/env python3
"""The tamper-evident log's costs (docs/benchmarks.md, "Ledger"): a release `vigil serve` on
127.0.0.1, loaded with wrk from the same machine, every load bounded in time.

  scripts/bench_ledger.py                        # SQLite (a fresh file per run)
  scripts/bench_ledger.py postgres://u:p@h:port/postgres   # PostgreSQL: a fresh database per run

1. Ingest with sealing on vs off: batch ingest (500 events a request, 16 connections, DURATION
   seconds), off and on alternately PAIRS (3) times, each on a fresh database; events/s and the
   ratio of the means, and the machine's CPU time per event (docs/benchmarks.md used PAIRS=5
   DURATION=15).
2. Sealing throughput: EVENTS events ingested with the sealer off, then a restart with it on;
   leaves/s from the start until the head covers them all.
3. Commit → sealed: single events at RATE/s for DURATION seconds with the default 1 s seal
   interval; for each, the time from its 201 to the first head (polled every 10 ms) that covers
   its leaf; p50 / p99 / max.
"""
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

BIN = os.environ.get("VIGIL_BIN", ".build/release/vigil")
DURATION = int(os.environ.get("DURATION", "10"))
EVENTS = int(os.environ.get("EVENTS", "200000"))
RATE = int(os.environ.get("RATE", "200"))
PAIRS = int(os.environ.get("PAIRS", "3"))
PASSWORD = "bench-admin-password"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, database_url, env, workdir):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        full = dict(os.environ, VIGIL_PORT=str(self.port), VIGIL_HOST="127.0.0.1", VIGIL_DATABASE_URL=database_url,
                    VIGIL_ADMIN_PASSWORD=PASSWORD, VIGIL_ACCESS_TOKEN_TTL="86400", VIGIL_LOG_LEVEL="warning", **env)
        self.log = open(os.path.join(workdir, f"server-{self.port}.log"), "ab")
        self.proc = subprocess.Popen([BIN, "serve"], env=full, stdout=self.log, stderr=self.log)
        for _ in range(300):
            try:
                if urllib.request.urlopen(self.base + "/readyz", timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("server did not start")
        self.token = self.call("POST", "/api/v1/auth/login", {"username": "admin", "password": PASSWORD})["access_token"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if getattr(self, "token", None):
            request.add_header("Authorization", "Bearer " + self.token)
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or b"null")

    def head(self):
        return self.call("GET", "/api/v1/ledger/head")["tree_size"]

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=60)


class Databases:
    """Fresh databases: SQLite files in a temporary directory, or PostgreSQL databases."""

    def __init__(self, admin_url):
        self.admin_url = admin_url
        self.workdir = tempfile.mkdtemp(prefix="vigil-ledger-bench-")
        self.count = 0

    def fresh(self):
        self.count += 1
        if not self.admin_url:
            return f"sqlite://{self.workdir}/run{self.count}.sqlite"
        # Each run starts alike: the previous run's database dropped (no autovacuum of it
        # mid-run) and a checkpoint taken (no checkpoint of its WAL mid-run).
        if self.count > 1:
            subprocess.run(["psql", self.admin_url, "-Xqc", f"DROP DATABASE IF EXISTS ledger_bench_{os.getpid()}_{self.count - 1}"], check=True)
        name = f"ledger_bench_{os.getpid()}_{self.count}"
        subprocess.run(["psql", self.admin_url, "-Xqc", f"CREATE DATABASE {name}"], check=True)
        subprocess.run(["psql", self.admin_url, "-Xqc", "CHECKPOINT"], check=True)
        return self.admin_url.rsplit("/", 1)[0] + f"/{name}?sslmode=disable"


def batch_file(workdir):
    path = os.path.join(workdir, "batch.json")
    with open(path, "w") as f:
        subprocess.run([sys.executable, "scripts/wrk/make_batch.py"], stdout=f, check=True, env=dict(os.environ, BATCH="500"))
    return path


def wrk_batch(server, batch, seconds):
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "-s", "scripts/wrk/batch.lua", server.base + "/api/v1/events/batch"],
                         env=dict(os.environ, TOKEN=server.token, BATCH_FILE=batch), capture_output=True, text=True, check=True).stdout
    assert "Non-2xx" not in out, out
    return float(out.split("Requests/sec:")[1].split()[0]) * 500


def cpu_times():
    """(busy, steal) seconds of the whole machine so far, from /proc/stat."""
    fields = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    user, nice, system, idle, iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq) / tick, steal / tick


def ingest_on_off(dbs):
    """Throughput on and off, and the machine's CPU time per event (Vigil, PostgreSQL and wrk):
    on a shared 2-vCPU host throughput moves with the neighbours (steal is printed per run);
    CPU per event moves much less."""
    batch = batch_file(dbs.workdir)
    rates = {"off": [], "on": []}
    costs = {"off": [], "on": []}
    for mode in ["off", "on"] * PAIRS:
        server = Server(dbs.fresh(), {"VIGIL_LEDGER": mode}, dbs.workdir)
        try:
            busy, steal = cpu_times()
            rate = wrk_batch(server, batch, DURATION)
            busy2, steal2 = cpu_times()
        finally:
            server.stop()
        rates[mode].append(rate)
        costs[mode].append((busy2 - busy) / (rate * DURATION) * 1e6)
        print(f"  {mode}: {rate:,.0f} events/s, {costs[mode][-1]:.1f} µs CPU/event, steal {100 * (steal2 - steal) / DURATION / 2:.0f} %", file=sys.stderr)
    off, on = statistics.mean(rates["off"]), statistics.mean(rates["on"])
    print(f"| batch ingest, sealing off: events/s | {' / '.join(f'{r:,.0f}' for r in rates['off'])} (mean {off:,.0f}) |")
    print(f"| batch ingest, sealing on: events/s | {' / '.join(f'{r:,.0f}' for r in rates['on'])} (mean {on:,.0f}) |")
    print(f"| on / off | {100 * on / off:.1f} % |")
    cost_off, cost_on = statistics.median(costs["off"]), statistics.median(costs["on"])
    print(f"| machine CPU per ingested event, off / on (median) | {cost_off:.1f} µs / {cost_on:.1f} µs: off / on = {100 * cost_off / cost_on:.1f} % |")


def sealing_throughput(dbs):
    url = dbs.fresh()
    server = Server(url, {"VIGIL_LEDGER": "off"}, dbs.workdir)
    body = [{"type": "bench.seal", "actor": f"u{i % 97}", "description": "sealing benchmark", "details": {"i": i}} for i in range(1000)]
    try:
        for _ in range(EVENTS // 1000):
            server.call("POST", "/api/v1/events/batch", body)
    finally:
        server.stop()
    started = time.time()
    server = Server(url, {"VIGIL_LEDGER": "on"}, dbs.workdir)
    try:
        while server.head() < EVENTS:
            time.sleep(0.05)
        elapsed = time.time() - started
        size = server.head()
    finally:
        server.stop()
    print(f"| sealing a backlog of {size:,} events (restart included): leaves/s | {size / elapsed:,.0f} ({elapsed:.1f} s) |")


def proof_index(server, event_id, timeout=30):
    """The event's leaf index, waiting while it is not sealed yet (409)."""
    deadline = time.time() + timeout
    while True:
        try:
            return server.call("GET", f"/api/v1/events/{event_id}/proof")["leaf_index"]
        except urllib.error.HTTPError as error:
            if error.code != 409 or time.time() > deadline:
                raise
            time.sleep(0.1)


def commit_to_sealed(dbs):
    server = Server(dbs.fresh(), {}, dbs.workdir)
    heads = []
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            heads.append((time.time(), server.head()))
            time.sleep(0.01)

    poller = threading.Thread(target=poll)
    poller.start()
    committed = []
    try:
        begin = time.time()
        for i in range(RATE * DURATION):
            target = begin + i / RATE
            delay = target - time.time()
            if delay > 0:
                time.sleep(delay)
            event = server.call("POST", "/api/v1/events", {"type": "bench.latency", "details": {"i": i}})
            committed.append((time.time(), event["id"]))
        time.sleep(3)
    finally:
        stop.set()
        poller.join()
    latencies = []
    for at, event_id in committed:
        index = proof_index(server, event_id)
        sealed = next(t for t, size in heads if size > index and t >= at)
        latencies.append(max(0.0, sealed - at) * 1000)
    server.stop()
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
    print(f"| commit → sealed at {RATE} events/s, seal interval 1 s: p50 / p99 / max | {p(0.5):.0f} ms / {p(0.99):.0f} ms / {latencies[-1]:.0f} ms |")


def main():
    dbs = Databases(sys.argv[1] if len(sys.argv) > 1 else None)
    engine = "PostgreSQL" if dbs.admin_url else "SQLite"
    print(f"## {engine}, {BIN}, DURATION={DURATION}, EVENTS={EVENTS}, RATE={RATE}")
    try:
        ingest_on_off(dbs)
        sealing_throughput(dbs)
        commit_to_sealed(dbs)
    finally:
        shutil.rmtree(dbs.workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
