"""Helpers for the REPORTS benchmark of scripts/bench.sh (127.0.0.1 only).

    report_probe.py rollups BASE TOKEN          # waits until the stats total stops lagging; prints it
    report_probe.py export BASE TOKEN FORMAT    # streams a full export; prints rows, seconds, rows/s
"""
import http.client
import json
import sys
import time
import urllib.parse

mode, base, token = sys.argv[1], sys.argv[2], sys.argv[3]
url = urllib.parse.urlparse(base)
headers = {"Authorization": f"Bearer {token}"}


def metric(name):
    c = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    c.request("GET", "/metrics", headers=headers)
    for line in c.getresponse().read().decode().splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.split()[-1])
    return 0.0


if mode == "rollups":
    # The rollup worker has caught up when its counter stops moving for two seconds.
    last, still = -1.0, 0
    deadline = time.time() + 1800
    while time.time() < deadline:
        now = metric("vigil_rollup_events_total")
        still = still + 1 if now == last else 0
        if still >= 4:
            print(int(now))
            sys.exit(0)
        last = now
        time.sleep(0.5)
    sys.exit("rollups did not catch up in 30 minutes")

if mode == "export":
    fmt = sys.argv[4]
    c = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
    start = time.time()
    c.request("GET", f"/api/v1/events/export?format={fmt}", headers=headers)
    r = c.getresponse()
    if r.status != 200:
        sys.exit(f"export failed: {r.status} {r.read()[:200]!r}")
    lines, size = 0, 0
    while True:
        chunk = r.read(1 << 20)
        if not chunk:
            break
        size += len(chunk)
        lines += chunk.count(b"\n")
    elapsed = time.time() - start
    # CSV: one header line; quoted newlines inside cells would add lines, the benchmark's
    # events have none.
    rows = lines - 1 if fmt == "csv" else lines
    print(f"{rows:,} rows, {size / 1e6:,.0f} MB in {elapsed:.1f} s = {rows / elapsed:,.0f} rows/s")
