"""PostgreSQL stopped under sustained ingest: Vigil fails fast with 503 + Retry-After, never
acknowledges what it did not commit, reports not-ready, and recovers by itself."""
import shutil
import threading
import time
import uuid

from vigil_harness import ADMIN_PASSWORD, Client, VigilServer, login

TIMEOUT = 2  # VIGIL_DATABASE_TIMEOUT for this node


def ingest(port, token, log, stop, lock):
    c = Client(port, timeout=30)
    n = 0
    while not stop.is_set():
        n += 1
        ids = [str(uuid.uuid4()) for _ in range(5 if n % 3 == 0 else 1)]
        started = time.time()
        try:
            if len(ids) > 1:
                r = c.call("POST", "/api/v1/events/batch", [{"id": i, "type": "fault.load"} for i in ids], token=token)
            else:
                r = c.call("POST", "/api/v1/events", {"id": ids[0], "type": "fault.load"}, token=token)
        except OSError as error:
            c.close()
            with lock:
                log.append(("error", ids, time.time() - started, repr(error)))
            continue
        with lock:
            log.append((r.status, ids, time.time() - started, r.headers.get("retry-after")))
        if r.status >= 500:
            time.sleep(0.05)


def test_postgres_restart_under_load(pg_cluster):
    database = pg_cluster.create_database()
    srv = VigilServer(database_url=pg_cluster.url(database), env={"VIGIL_DATABASE_TIMEOUT": str(TIMEOUT)}).start()
    try:
        token = login(srv.client(), "admin", ADMIN_PASSWORD)
        log, stop, lock = [], threading.Event(), threading.Lock()
        threads = [threading.Thread(target=ingest, args=(srv.port, token, log, stop, lock)) for _ in range(8)]
        for t in threads:
            t.start()
        time.sleep(2)

        pg_cluster.kill()
        down_at = time.time()
        time.sleep(1)
        ready = Client(srv.port, timeout=10)
        started = time.time()
        r = ready.call("GET", "/readyz")
        assert r.status == 503 and "retry-after" in r.headers, r
        assert time.time() - started < TIMEOUT + 1.5
        time.sleep(3)

        pg_cluster.restart()
        up_at = time.time()
        recovered_at = None
        while time.time() - up_at < 30:
            with lock:
                recent = [entry for entry in log[-20:] if isinstance(entry[0], int) and entry[0] < 300]
            if recent and time.time() - up_at > 0.5:
                recovered_at = time.time()
                break
            time.sleep(0.1)
        assert recovered_at is not None, "Vigil did not recover after PostgreSQL came back"
        assert Client(srv.port).call("GET", "/readyz").status == 200
        time.sleep(2)
        stop.set()
        for t in threads:
            t.join(timeout=60)

        statuses = [entry[0] for entry in log]
        failures = [entry for entry in log if entry[0] != 201 and entry[0] != 200]
        assert statuses.count(503) > 0, "no request saw the outage"
        assert all(entry[0] == 503 for entry in failures), f"unexpected answers: {failures[:5]}"
        assert all(entry[3] is not None for entry in failures), "a 503 without Retry-After"
        slowest = max(entry[2] for entry in log)
        assert slowest < TIMEOUT + 3, f"a request hung for {slowest:.1f} s"

        acknowledged = [i for entry in log if entry[0] in (200, 201) for i in entry[1]]
        stored = pg_cluster.psql("SELECT id FROM events WHERE type = 'fault.load'", database).split()
        assert len(stored) == len(set(stored)), "an event was stored twice"
        missing = set(acknowledged) - set(stored)
        assert not missing, f"{len(missing)} acknowledged events lost"
        print(f"{len(acknowledged)} acknowledged, {statuses.count(503)} answered 503 during the outage, "
              f"slowest answer {slowest:.2f} s, recovered {recovered_at - up_at:.1f} s after restart "
              f"(outage {up_at - down_at:.1f} s)")
    finally:
        srv.stop()
        shutil.rmtree(srv.workdir, ignore_errors=True)
