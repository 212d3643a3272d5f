#!/usr/bin/env python3
"""Detection benchmark helpers (loopback only, bounded in time).

  detection_probe.py rules BASE TOKEN on|off       enable or disable every rule
  detection_probe.py latency BASE TOKEN SECONDS    ingest→alert latency: one critical event at a
                                                   time, polled until its alert is listed
"""
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


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "rules":
        rules(sys.argv[2], sys.argv[3], sys.argv[4])
    elif mode == "latency":
        latency(sys.argv[2], sys.argv[3], float(sys.argv[4]))
    else:
        sys.exit(__doc__)
