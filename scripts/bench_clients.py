#!/usr/bin/env python3
"""What the Python client costs the app that uses it (docs/benchmarks.md, "Clients"): a release
`vigil serve` on 127.0.0.1 (SQLite, a fresh file), every load bounded in size.

  VIGIL_BIN=.build-release/release/vigil scripts/bench_clients.py

1. `send()`: EVENTS events (each ~250 bytes of JSON) queued from the app's thread while the
   sender delivers them; the caller's µs per `send` (median of ROUNDS rounds), then the time
   until Vigil has stored them all (events/s end to end).
2. The same with Vigil stopped: `send` must cost the same whether Vigil answers or not.
3. Django model saves with and without the integration tracking the model: SAVES saves of one
   row, µs per save (the integration adds one SELECT of the row before each save). Needs a
   venv with Django and the client (DJANGO_PYTHON, default: a fresh one in a temp dir).
"""
import json
import logging
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "clients", "python", "src"))
from vigil_client import Vigil  # noqa: E402

BIN = os.path.abspath(os.environ.get("VIGIL_BIN", os.path.join(ROOT, ".build-release", "release", "vigil")))
EVENTS = int(os.environ.get("EVENTS", "100000"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
SAVES = int(os.environ.get("SAVES", "2000"))
PASSWORD = "bench-admin-password"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(port, method, path, body=None, token=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, data=json.dumps(body).encode() if body else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read() or b"null")


def start_vigil(workdir):
    port = free_port()
    env = dict(os.environ, VIGIL_HOST="127.0.0.1", VIGIL_PORT=str(port), VIGIL_DATABASE_URL=f"sqlite://{workdir}/vigil.sqlite",
               VIGIL_ADMIN_PASSWORD=PASSWORD, VIGIL_LOG_LEVEL="error")
    proc = subprocess.Popen([BIN, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=workdir)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    token = call(port, "POST", "/api/v1/auth/login", {"username": "admin", "password": PASSWORD})["access_token"]
    key = call(port, "POST", "/api/v1/api-keys", {"name": f"bench{time.time_ns()}", "scopes": ["events:write", "events:read"]}, token)["secret"]
    return proc, port, key


def event(n):
    return {"type": "bench.order", "actor": f"user{n % 500}", "ip": "203.0.113.7", "source": "bench",
            "description": "order placed", "details": {"order": n, "amount": 1999, "currency": "EUR"}}


def send_round(url, key):
    vigil = Vigil(url, key, max_queue=EVENTS + 1, max_queue_bytes=1 << 30, backoff_max=1.0)
    started = time.perf_counter()
    for n in range(EVENTS):
        vigil.send(event(n))
    queued = time.perf_counter() - started
    delivered = vigil.flush(300)
    total = time.perf_counter() - started
    stats = vigil.stats()
    vigil.close(0.1)
    return queued / EVENTS * 1e6, total, delivered, stats


def bench_send(workdir):
    proc, port, key = start_vigil(workdir)
    try:
        rounds = [send_round(f"http://127.0.0.1:{port}", key) for _ in range(ROUNDS)]
    finally:
        proc.terminate()
        proc.wait(30)
    per_send = statistics.median(r[0] for r in rounds)
    rates = [EVENTS / r[1] for r in rounds]
    print(f"send() with Vigil up: {per_send:.1f} µs per call (rounds: {', '.join(f'{r[0]:.1f}' for r in rounds)})")
    print(f"end to end: {statistics.median(rates):,.0f} events/s stored (rounds: {', '.join(f'{r:,.0f}' for r in rates)}); "
          f"all delivered: {all(r[2] for r in rounds)}, sent {[r[3]['sent'] for r in rounds]}")
    down = []
    logging.getLogger("vigil_client").setLevel(logging.CRITICAL)  # the retries are expected here
    for _ in range(ROUNDS):
        vigil = Vigil(f"http://127.0.0.1:{free_port()}", "vgl_unused", max_queue=EVENTS + 1, max_queue_bytes=1 << 30, backoff_max=1.0)
        started = time.perf_counter()
        for n in range(EVENTS):
            vigil.send(event(n))
        down.append((time.perf_counter() - started) / EVENTS * 1e6)
        vigil.close(0.1)
    print(f"send() with Vigil down: {statistics.median(down):.1f} µs per call (rounds: {', '.join(f'{d:.1f}' for d in down)})")


SAVE_SCRIPT = """
import time
from inventory.models import Item
item = Item.objects.create(name="x", price="1.00", vault_code="v")
started = time.perf_counter()
for n in range({saves}):
    item.price = str(n % 1000) + ".00"
    item.save()
print((time.perf_counter() - started) / {saves} * 1e6)
"""


def bench_django(workdir):
    python = os.environ.get("DJANGO_PYTHON")
    if not python:
        venv = os.path.join(workdir, "venv")
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        python = os.path.join(venv, "bin", "python")
        subprocess.run([python, "-m", "pip", "install", "--quiet", os.path.join(ROOT, "clients", "python"), "django>=4.2,<6"], check=True)
    proc, port, key = start_vigil(workdir)
    demo = os.path.join(ROOT, "Tests", "e2e", "django_demo")
    results = {}
    try:
        for tracked in (False, True, False, True):
            db = os.path.join(workdir, f"demo-{tracked}-{time.time_ns()}.sqlite3")
            env = dict(os.environ, DEMO_DB=db, VIGIL_URL=f"http://127.0.0.1:{port}", VIGIL_API_KEY=key,
                       DEMO_TRACK_MODELS="1" if tracked else "0")
            subprocess.run([python, os.path.join(demo, "manage.py"), "migrate", "-v", "0"], env=env, check=True, cwd=workdir)
            out = subprocess.run([python, os.path.join(demo, "manage.py"), "shell", "-c", SAVE_SCRIPT.format(saves=SAVES)],
                                 env=env, check=True, cwd=workdir, capture_output=True, text=True).stdout
            results.setdefault(tracked, []).append(float(out.strip().splitlines()[-1]))
    finally:
        proc.terminate()
        proc.wait(30)
    plain, tracked = min(results[False]), min(results[True])
    print(f"Django save(), model not tracked: {plain:.0f} µs; tracked: {tracked:.0f} µs (+{tracked - plain:.0f} µs, "
          f"×{tracked / plain:.2f}); runs {results}")


def main():
    workdir = tempfile.mkdtemp(prefix="vigil-bench-clients-")
    try:
        print(f"vigil: {BIN}; EVENTS={EVENTS} ROUNDS={ROUNDS} SAVES={SAVES}; Python {sys.version.split()[0]}")
        bench_send(workdir)
        bench_django(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
