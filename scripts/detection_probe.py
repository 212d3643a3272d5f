#!/usr/bin/env python3
"""Detection benchmark helpers (loopback only, bounded in time).

  detection_probe.py rules BASE TOKEN on|off       enable or disable every rule
  detection_probe.py latency BASE TOKEN SECONDS    ingest→alert latency: one critical event at a
                                                   time, polled until its alert is listed
  detection_probe.py webhook BASE TOKEN SECONDS    ingest→webhook latency: a receiver on 127.0.0.1,
                                                   a webhook channel, one critical event at a time
"""
import http.server
import socket
import threading
import http.client
import json
import sys
import time
import urllib.parse
import uuid


def call(conn, method, path, token, body=None):
    headers = {"Authorization": f"Bearer {token}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def connect(base):
    url = urllib.parse.urlparse(base)
    assert url.hostname == "127.0.0.1", "benchmarks talk to loopback only"
    return http.client.HTTPConnection(url.hostname, url.port, timeout=30)


def rules(base, token, state):
    conn = connect(base)
    status, body = call(conn, "GET", "/api/v1/rules", token)
    assert status == 200, body
    for rule in json.loads(body)["items"]:
        status, body = call(conn, "PATCH", f"/api/v1/rules/{rule['id']}", token, {"enabled": state == "on"})
        assert status == 200, body


def latency(base, token, seconds):
    conn = connect(base)
    samples, misses = [], 0
    deadline = time.time() + seconds
    while time.time() < deadline:
        actor = f"probe-{uuid.uuid4().hex[:12]}"
        status, body = call(conn, "POST", "/api/v1/events", token, {"type": "bench.probe", "severity": "critical", "actor": actor})
        assert status == 201, body
        answered = time.perf_counter()
        found = False
        while time.perf_counter() - answered < 10:
            status, body = call(conn, "GET", f"/api/v1/alerts?limit=1&q={actor}", token)
            if status == 200 and json.loads(body)["items"]:
                found = True
                break
            time.sleep(0.002)
        if found:
            samples.append((time.perf_counter() - answered) * 1000)
        else:
            misses += 1
        time.sleep(0.05)
    samples.sort()
    pick = lambda p: samples[min(len(samples) - 1, int(p * len(samples)))] if samples else float("nan")
    print(f"probes={len(samples)} missed={misses} p50={pick(0.50):.1f}ms p99={pick(0.99):.1f}ms max={samples[-1] if samples else float('nan'):.1f}ms")


def summary(samples, misses):
    samples.sort()
    pick = lambda p: samples[min(len(samples) - 1, int(p * len(samples)))] if samples else float("nan")
    return f"probes={len(samples)} missed={misses} p50={pick(0.50):.1f}ms p99={pick(0.99):.1f}ms max={samples[-1] if samples else float('nan'):.1f}ms"


def webhook(base, token, seconds):
    arrivals, lock = {}, threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            now = time.perf_counter()
            title = json.loads(body)["data"]["title"]
            with lock:
                arrivals.setdefault(title, now)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    conn = connect(base)
    # A rule of its own and a channel for that rule only: the probe's notifications are not
    # queued behind the (unrealistic) flood of alerts the mixed load raises.
    status, body = call(conn, "POST", "/api/v1/rules", token, {"name": f"bench probe {port}", "severity": "critical", "match": {"types": ["bench.probe"]}})
    assert status == 201, body
    rule_id = json.loads(body)["id"]
    status, body = call(conn, "POST", "/api/v1/channels", token, {
        "name": f"bench-{port}", "kind": "webhook", "config": {"url": f"http://127.0.0.1:{port}/hook"},
        "events": ["alert.created"], "rule_ids": [rule_id]})
    assert status == 201, body
    channel_id = json.loads(body)["id"]
    samples, misses = [], 0
    deadline = time.time() + seconds
    while time.time() < deadline:
        actor = f"probe-{uuid.uuid4().hex[:12]}"
        status, body = call(conn, "POST", "/api/v1/events", token, {"type": "bench.probe", "severity": "critical", "actor": actor})
        assert status == 201, body
        answered = time.perf_counter()
        title = f"bench probe {port}: bench.probe ({actor})"
        while time.perf_counter() - answered < 10:
            with lock:
                arrived = arrivals.get(title)
            if arrived:
                samples.append((arrived - answered) * 1000)
                break
            time.sleep(0.001)
        else:
            misses += 1
        time.sleep(0.05)
    # Leave nothing behind that later probes would notify.
    call(conn, "DELETE", f"/api/v1/channels/{channel_id}", token)
    call(conn, "DELETE", f"/api/v1/rules/{rule_id}", token)
    server.shutdown()
    print(summary(samples, misses))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "rules":
        rules(sys.argv[2], sys.argv[3], sys.argv[4])
    elif mode == "webhook":
        webhook(sys.argv[2], sys.argv[3], float(sys.argv[4]))
    elif mode == "latency":
        latency(sys.argv[2], sys.argv[3], float(sys.argv[4]))
    else:
        sys.exit(__doc__)
