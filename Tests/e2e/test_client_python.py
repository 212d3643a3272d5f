"""The Python client (clients/python, standard library only) against the real binary: batching,
keyset queries, typed errors, retries that never store an event twice, Retry-After, a bounded
queue while Vigil is down, refused items that cost no other event, and the flush at exit."""
import os
import subprocess
import sys
import time
import uuid

import pytest

from fault_proxy import FaultProxy
from vigil_harness import ADMIN_PASSWORD, ROOT, free_port, login

sys.path.insert(0, os.path.join(ROOT, "clients", "python", "src"))
import vigil_client  # noqa: E402
from vigil_client import Vigil  # noqa: E402


def make_key(server, scopes=("events:write", "events:read"), name="app"):
    token = login(server.client(), "admin", ADMIN_PASSWORD)
    response = server.client().call("POST", "/api/v1/api-keys", {"name": name, "scopes": list(scopes)}, token=token)
    assert response.status == 201, response
    return response.json()["secret"]


def stored(server, key, **filters):
    return list(Vigil(f"http://127.0.0.1:{server.port}", key).query(page_size=1000, **filters))


def test_batches_queries_pages_and_typed_errors(server):
    key = make_key(server)
    vigil = Vigil(f"http://127.0.0.1:{server.port}", key, max_batch=400)
    ids = vigil.send_many({"type": "shop.order", "actor": "alice", "details": {"n": n}} for n in range(2500))
    assert all(uuid.UUID(i).version == 7 for i in ids) and len(set(ids)) == 2500
    assert vigil.flush(30)
    assert vigil.stats() == {"sent": 2500, "duplicates": 0, "dropped": 0, "rejected": 0, "lost": 0, "retries": 0, "queued": 0}

    # Keyset pages of 1000: every event once, oldest first.
    seen = list(vigil.query(type="shop.*", order="asc", page_size=1000))
    assert len(seen) == 2500 and sorted(e["id"] for e in seen) == sorted(ids)
    assert all(a["occurred_at"] <= b["occurred_at"] for a, b in zip(seen, seen[1:]))
    assert [e["details"]["n"] for e in vigil.query(details={"n": 7}, actor="alice")] == [7]
    assert vigil.get(ids[0])["ingested_by"] == "apikey:app"

    with pytest.raises(vigil_client.ValidationError) as invalid:
        vigil.post({"type": "shop.order", "ip": "999.1.1.1", "severity": "extreme"})
    assert invalid.value.status == 400 and invalid.value.code == "validation_failed"
    assert sorted(f for f, _ in invalid.value.errors) == ["ip", "severity"]
    with pytest.raises(vigil_client.ConflictError) as conflict:
        vigil.post({"id": ids[0], "type": "shop.order", "actor": "mallory"})
    assert conflict.value.code == "id_conflict"
    with pytest.raises(vigil_client.NotFoundError):
        vigil.get(str(uuid.uuid4()))
    # An id from elsewhere stays one path segment: Vigil answers for the events route.
    with pytest.raises((vigil_client.NotFoundError, vigil_client.ValidationError)):
        vigil.get("../api-keys?x=1 y")
    with pytest.raises(vigil_client.AuthenticationError) as unknown:
        Vigil(f"http://127.0.0.1:{server.port}", "vgl_" + "0" * 40).post({"type": "x"})
    assert unknown.value.code == "unauthenticated"
    writer = Vigil(f"http://127.0.0.1:{server.port}", make_key(server, ["events:write"], "writer"))
    with pytest.raises(vigil_client.ForbiddenError) as forbidden:
        next(writer.query())
    assert forbidden.value.code == "forbidden"
    with pytest.raises(vigil_client.VigilConnectionError):
        Vigil(f"http://127.0.0.1:{free_port()}", key).post({"type": "x"})
    # The same event posted twice (same client id, same content): stored once.
    event = {"id": str(uuid.uuid4()), "type": "shop.refund", "occurred_at": "2026-01-02T03:04:05Z"}
    assert vigil.post(event)["id"] == vigil.post(event)["id"]
    assert len(stored(server, key, type="shop.refund")) == 1


def test_a_lost_answer_is_retried_and_never_stored_twice(server):
    key = make_key(server)
    proxy = FaultProxy(server.port, drop=3).start()
    try:
        vigil = Vigil(f"http://127.0.0.1:{proxy.port}", key, max_batch=100, backoff_base=0.05)
        ids = vigil.send_many({"type": "pay.captured", "details": {"n": n}} for n in range(300))
        assert vigil.flush(30)
    finally:
        proxy.stop()
    stats = vigil.stats()
    assert proxy.dropped == 3 and stats["sent"] + stats["duplicates"] >= 300 and stats["duplicates"] >= 100, stats
    assert sorted(e["id"] for e in stored(server, key, type="pay.captured")) == sorted(ids)


def test_retry_after_is_honoured_until_everything_is_in(server):
    key = make_key(server)
    proxy = FaultProxy(server.port, throttle=2).start()
    try:
        vigil = Vigil(f"http://127.0.0.1:{proxy.port}", key, max_batch=500, backoff_base=0.05)
        vigil.send_many({"type": "ids.alert", "details": {"n": n}} for n in range(500))
        started = time.time()
        assert vigil.flush(60)
        elapsed = time.time() - started
    finally:
        proxy.stop()
    stats = vigil.stats()
    assert stats["sent"] == 500 and stats["retries"] == 2, stats
    # Two 429s with Retry-After: 1 cost at least 2 s, though the back-off alone would be 0.15 s.
    assert elapsed >= 2, elapsed
    assert len(stored(server, key, type="ids.alert")) == 500


def test_refused_events_cost_no_other_event(server):
    key = make_key(server)
    earlier = Vigil(f"http://127.0.0.1:{server.port}", key).post({"type": "doc.saved", "actor": "alice"})
    refused = []
    vigil = Vigil(f"http://127.0.0.1:{server.port}", key, on_reject=lambda error, items: refused.append((error.code, [i["details"]["n"] for i in items])))
    batch = [{"type": "doc.saved", "details": {"n": n}} for n in range(10)]
    batch[3]["ip"] = "not-an-address"
    batch[7]["id"] = earlier["id"]  # the id of a stored event with other content
    vigil.send_many(batch)
    assert vigil.flush(30)
    assert sorted(refused) == [("id_conflict", [7]), ("validation_failed", [3])]
    assert vigil.stats()["rejected"] == 2 and vigil.stats()["sent"] == 8
    assert sorted(e["details"]["n"] for e in stored(server, key, type="doc.saved") if e["details"]) == [0, 1, 2, 4, 5, 6, 8, 9]


def test_the_queue_is_bounded_while_vigil_is_down():
    nowhere = f"http://127.0.0.1:{free_port()}"
    vigil = Vigil(nowhere, "vgl_unused", max_queue=1000, max_queue_bytes=1 << 30, backoff_base=0.05, backoff_max=0.2)
    vigil.send_many({"type": "fw.drop", "details": {"n": n, "pad": "x" * 100}} for n in range(5000))
    small = Vigil(nowhere, "vgl_unused", max_queue=10**6, max_queue_bytes=64 * 1024, backoff_base=0.05, backoff_max=0.2)
    small.send_many({"type": "fw.drop", "details": {"pad": "x" * 1000}} for _ in range(1000))
    time.sleep(0.5)
    stats = vigil.stats()
    assert (stats["queued"], stats["dropped"]) == (1000, 4000) and stats["retries"] >= 1, stats
    # About 1 KiB each: at most 64 KiB of them are held, whatever arrives.
    assert 50 <= small.stats()["queued"] <= 64 and small.stats()["dropped"] == 1000 - small.stats()["queued"]
    started = time.time()
    assert vigil.close(timeout=1.0) is False
    assert time.time() - started < 3 and vigil.stats()["lost"] == 1000
    vigil.send({"type": "after.close"})
    assert vigil.stats()["dropped"] == 4001
    small.close(timeout=0.2)


def test_the_queue_is_flushed_when_the_program_exits(server):
    key = make_key(server)
    program = (
        "from vigil_client import Vigil\n"
        "import sys\n"
        "vigil = Vigil(sys.argv[1], sys.argv[2], flush_interval=60)\n"
        "vigil.send_many({'type': 'batch.job', 'details': {'n': n}} for n in range(300))\n"
        # No flush, no close: the interpreter's exit must deliver them.
    )
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "clients", "python", "src"))
    result = subprocess.run([sys.executable, "-c", program, f"http://127.0.0.1:{server.port}", key], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert len(stored(server, key, type="batch.job")) == 300
