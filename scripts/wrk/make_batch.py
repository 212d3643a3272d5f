"""Prints one JSON array of BATCH realistic events for the batch benchmark."""
import json
import os
import random

n = int(os.environ.get("BATCH", "500"))
rng = random.Random(7)
print(json.dumps([{
    "type": rng.choice(["auth.login.failed", "auth.login.succeeded", "file.read", "net.conn"]),
    "actor": f"user-{rng.randrange(1000)}", "severity": rng.choice(["info", "low", "medium"]),
    "ip": f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}", "source": "wrk-batch",
    "description": "batch benchmark event", "details": {"i": i},
} for i in range(n)]))
