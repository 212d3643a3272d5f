"""Fills a Vigil server with realistic events through the batch API.

    load_events.py BASE_URL TOKEN N      # add at least N events (whole batches of 1,000)

Events spread over the last 30 days: 1,000 actors, a dozen types, IPv4 and IPv6 sources,
descriptions drawn from a small vocabulary (about 1 in 12 mention "password").

LOAD_SHAPE picks how they arrive:
  uniform (default)  random times over the 30 days in any order; every address random (almost
                     all distinct) and actors equally likely: the worst case for locality and
                     for top lists
  live               times advance with the load, as events arriving in production; addresses
                     from a pool of 20,000 and actors Zipf-distributed (a few very busy, a long
                     tail), as source addresses and users are in real logs"""
import bisect
import datetime as dt
import itertools
import os
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse

base, token, target = sys.argv[1], sys.argv[2], sys.argv[3]
SHAPE = os.environ.get("LOAD_SHAPE", "uniform")
if SHAPE not in ("uniform", "live"):
    raise SystemExit("LOAD_SHAPE must be uniform or live")
url = urllib.parse.urlparse(base)
TYPES = ["auth.login.failed", "auth.login.succeeded", "auth.logout", "file.read", "file.write", "net.conn", "ids.alert",
         "AccountCreated", "AccountDeleted", "policy.changed", "access.denied", "dns.query"]
WORDS = ["invalid", "password", "user", "session", "opened", "closed", "connection", "from", "port", "denied", "accepted",
         "scan", "detected", "file", "changed", "by", "admin", "token", "expired", "request", "blocked", "allowed"]


def conn():
    return http.client.HTTPConnection(url.hostname, url.port, timeout=120)


def random_ip(rng):
    return f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}" if rng.random() < 0.8 \
        else f"2001:db8:{rng.randrange(65536):x}::{rng.randrange(1, 65536):x}"


def zipf(count, exponent):
    """Cumulative weights of ranks 1…count under Zipf's law."""
    return list(itertools.accumulate(1 / rank ** exponent for rank in range(1, count + 1)))


IP_POOL = [random_ip(random.Random(i)) for i in range(20000)]
IP_WEIGHTS, ACTOR_WEIGHTS = zipf(len(IP_POOL), 1.1), zipf(1000, 1.0)


def pick(rng, cumulative):
    return bisect.bisect(cumulative, rng.random() * cumulative[-1])


def batch(rng, size, now, slot):
    """`slot` (live shape): the batch's place in the load, 0…1; its events fall in that slice of the 30 days."""
    items = []
    for i in range(size):
        if SHAPE == "live":
            offset = (1 - slot - i / size / BATCHES) * 30 * 86400
            t = now - dt.timedelta(seconds=offset)
            ip, actor = IP_POOL[pick(rng, IP_WEIGHTS)], f"user-{pick(rng, ACTOR_WEIGHTS)}"
        else:
            t = now - dt.timedelta(seconds=rng.randrange(30 * 86400))
            ip, actor = random_ip(rng), f"user-{rng.randrange(1000)}"
        items.append({
            "type": rng.choice(TYPES), "actor": actor,
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
        with LOCK:
            slot = next(SLOTS) / BATCHES
        body = batch(rng, 1000, now, slot)
        c.request("POST", "/api/v1/events/batch", body=body,
                  headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        if r.status != 201:
            raise SystemExit(f"batch failed: {r.status}")
        done.append(1000)


n = int(target)
threads, done = 3, []
per = (n + 999) // 1000 // threads + 1
BATCHES, SLOTS, LOCK = per * threads, itertools.count(), threading.Lock()
start = time.time()
ts = [threading.Thread(target=worker, args=(i, per, done)) for i in range(threads)]
for t in ts:
    t.start()
for t in ts:
    t.join()
elapsed = time.time() - start
print(f"loaded {sum(done)} events in {elapsed:.1f} s ({sum(done) / elapsed:,.0f} events/s, 3 Python clients, 1000 per batch, {SHAPE} shape)")
