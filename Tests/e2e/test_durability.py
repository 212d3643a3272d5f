"""An HTTP 2xx means committed: SIGKILL mid-ingest loses nothing acknowledged, and SIGTERM drains."""
import shutil
import threading
import time
import uuid

from vigil_harness import ADMIN_PASSWORD, Client, VigilServer, login

CLIENTS = 16


def ingest_until_stopped(port, token, acknowledged, stop, lock):
    """Posts single events and small batches with client ids; records ids of every 2xx."""
    c = Client(port, timeout=10)
    n = 0
    while not stop.is_set():
        n += 1
        try:
            if n % 5 == 0:
                ids = [str(uuid.uuid4()) for _ in range(20)]
                r = c.call("POST", "/api/v1/events/batch", [{"id": i, "type": "crash.batch"} for i in ids], token=token)
            else:
                ids = [str(uuid.uuid4())]
                r = c.call("POST", "/api/v1/events", {"id": ids[0], "type": "crash.single", "actor": "load"}, token=token)
        except OSError:
            c.close()
            time.sleep(0.01)
            continue
        if 200 <= r.status < 300:
            with lock:
                acknowledged.extend(ids)


def run_load(srv, seconds, stop_server):
    token = login(srv.client(), "admin", ADMIN_PASSWORD)
    acknowledged, stop, lock = [], threading.Event(), threading.Lock()
    threads = [threading.Thread(target=ingest_until_stopped, args=(srv.port, token, acknowledged, stop, lock)) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    time.sleep(seconds)
    result = stop_server()
    time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    return acknowledged, result


def stored_ids(srv):
    c = srv.client()
    token = login(c, "admin", ADMIN_PASSWORD)
    ids, cursor = [], None
    while True:
        path = "/api/v1/events?limit=1000&type=crash.*" + (f"&cursor={cursor}" if cursor else "")
        page = c.call("GET", path, token=token).json()
        ids += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            return ids


def test_sigkill_loses_no_acknowledged_event():
    srv = VigilServer().start()
    try:
        acknowledged, _ = run_load(srv, 3, srv.kill)
        assert len(acknowledged) > 100, "the load did not get going"
        srv.start()
        stored = stored_ids(srv)
        assert len(stored) == len(set(stored)), "an event was stored twice"
        missing = set(acknowledged) - set(stored)
        assert not missing, f"{len(missing)} acknowledged events lost, e.g. {list(missing)[:3]}"
        print(f"acknowledged {len(acknowledged)}, stored {len(stored)} (the rest were in flight at the kill)")
    finally:
        srv.stop()
        shutil.rmtree(srv.workdir, ignore_errors=True)


def test_sigterm_drains_and_exits_cleanly():
    srv = VigilServer().start()
    try:
        acknowledged, code = run_load(srv, 2, srv.terminate)
        assert code == 0, srv.read_stderr()
        srv.start()
        stored = set(stored_ids(srv))
        assert set(acknowledged) <= stored
    finally:
        srv.stop()
        shutil.rmtree(srv.workdir, ignore_errors=True)
