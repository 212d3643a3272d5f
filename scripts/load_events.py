"""Fills a Vigil server with realistic events through the batch API, or counts them.

    load_events.py BASE_URL TOKEN N      # add events until the server stores at least N
    load_events.py BASE_URL TOKEN count  # print how many events are stored

Events spread over the last 30 days: 1,000 actors, a dozen types, IPv4 and IPv6 sources,
descriptions drawn from a small vocabulary (about 1 in 12 mention "password")."""
import datetime as dt
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse

base, token, target = sys.argv[1], sys.argv[2], sys.argv[3]
url = urllib.parse.urlparse(base)
TYPES = ["auth.login.failed", "auth.login.succeeded", "auth.logout", "file.read", "file.write", "net.conn", "ids.alert",
         "AccountCreated", "AccountDeleted", "policy.changed", "access.denied", "dns.query"]
WORDS = ["invalid", "password", "user", "session", "opened", "closed", "connection", "from", "port", "denied", "accepted",
         "scan", "detected", "file", "changed", "by", "admin", "token", "expired", "request", "blocked", "allowed"]


def conn():
    return http.client.HTTPConnection(url.hostname, url.port, timeout=120)


def count():
    c = conn()
    total, cursor = 0, None
    # Walk the ids only via pages of 1000; fine for a one-off count after loading.
    while True:
        path = "/api/v1/events?limit=1000" + (f"&cursor={cursor}" if cursor else "")
        c.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        page = json.loads(c.getresponse().read())
        total += len(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return total


def batch(rng, size, now):
    items = []
    for _ in range(size):
        t = now - dt.timedelta(seconds=rng.randrange(30 * 86400))
        ip = f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}" if rng.random() < 0.8 \
            else f"2001:db8:{rng.randrange(65536):x}::{rng.randrange(1, 65536):x}"
        items.append({
            "type": rng.choice(TYPES), "actor": f"user-{rng.randrange(1000)}",
            "severity": rng.choices(["info", "low", "medium", "high", "critical"], [60, 20, 12, 6, 2])[0],
            "outcome": rng.choice(["success", "failure", "unknown"]), "ip": ip, "source": rng.choice(["sshd", "nginx", "app", "ids"]),
            "occurred_at": t.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "description": " ".join(rng.choice(WORDS) for _ in range(6)),
            "details": {"port": rng.randrange(1, 65536), "session": rng.randrange(10**6)},
        })
    return json.dumps(items)


def worker(seed, batches, done):
    rng = random.Random(seed)
    c = conn()
    now = dt.datetime.now(dt.timezone.utc)
    for _ in range(batches):
        body = batch(rng, 1000, now)
        c.request("POST", "/api/v1/events/batch", body=body,
                  headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        if r.status != 201:
            raise SystemExit(f"batch failed: {r.status}")
        done.append(1000)


if target == "count":
    print(count())
else:
    n = int(target)
    threads, done = 3, []
    per = (n + 999) // 1000 // threads + 1
    start = time.time()
    ts = [threading.Thread(target=worker, args=(i, per, done)) for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    elapsed = time.time() - start
    print(f"loaded {sum(done)} events in {elapsed:.1f} s ({sum(done) / elapsed:,.0f} events/s, 3 Python clients, 1000 per batch)")
