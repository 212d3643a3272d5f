"""Several `vigil serve` nodes on one PostgreSQL database: shared log, idempotency, throttling,
revocation and self-audit across nodes, one leader with failover, a node killed mid-load."""
import shutil
import threading
import time
import uuid

import pytest

from vigil_harness import ADMIN_PASSWORD, Client, VigilServer, login


def start_nodes(pg_cluster, count, env=None):
    database = pg_cluster.create_database()
    nodes = [VigilServer(database_url=pg_cluster.url(database), env=env) for _ in range(count)]
    # Started together: they race to migrate and to create the first admin.
    starters = [threading.Thread(target=n.start) for n in nodes]
    for t in starters:
        t.start()
    for t in starters:
        t.join()
    for n in nodes:
        assert n.proc is not None and n.proc.poll() is None, n.read_stderr()
    return database, nodes


def stop_nodes(nodes):
    for n in nodes:
        n.stop()
        shutil.rmtree(n.workdir, ignore_errors=True)


def all_ids(client, token, query):
    ids, cursor = [], None
    while True:
        page = client.call("GET", f"/api/v1/events?limit=1000&{query}" + (f"&cursor={cursor}" if cursor else ""), token=token).json()
        ids += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            return ids


def wait_for(predicate, timeout, message):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(message)


def test_two_nodes_share_log_identity_and_idempotency(pg_cluster):
    database, (a, b) = start_nodes(pg_cluster, 2, env={"VIGIL_LOGIN_USER_LIMIT": "3"})
    try:
        assert pg_cluster.psql("SELECT count(*) FROM schema_migrations", database) == "12"
        assert pg_cluster.psql("SELECT count(*) FROM users", database) == "1"
        ca, cb = a.client(), b.client()
        # One secret in the database: a token from one node works on the other.
        token = login(ca, "admin", ADMIN_PASSWORD)
        assert cb.call("GET", "/api/v1/auth/me", token=token).status == 200

        # Events ingested through either node are visible through both.
        for i in range(30):
            node = ca if i % 2 else cb
            assert node.call("POST", "/api/v1/events", {"type": "cluster.event", "actor": f"n{i}"}, token=token).status == 201
        assert len(all_ids(ca, token, "type=cluster.event")) == 30
        assert sorted(all_ids(cb, token, "type=cluster.event")) == sorted(all_ids(ca, token, "type=cluster.event"))

        # A client id retried against the other node is stored once; other content conflicts.
        event = {"id": str(uuid.uuid4()), "type": "cluster.retry", "actor": "x"}
        assert ca.call("POST", "/api/v1/events", event, token=token).status == 201
        again = cb.call("POST", "/api/v1/events", event, token=token)
        assert again.status == 200 and again.json()["id"] == event["id"], again
        changed = cb.call("POST", "/api/v1/events", dict(event, actor="y"), token=token)
        assert changed.status == 409, changed
        assert all_ids(ca, token, "type=cluster.retry") == [event["id"]]

        # Login throttling is shared: failures spread over both nodes add up.
        for node in [ca, cb, ca]:
            assert node.call("POST", "/api/v1/auth/login", {"username": "admin", "password": "wrong-password"}).status == 401
        blocked = cb.call("POST", "/api/v1/auth/login", {"username": "admin", "password": ADMIN_PASSWORD})
        assert blocked.status == 429, blocked
        # Self-audit from node B (the throttled attempt) is in the log node A reads.
        failed = ca.call("GET", "/api/v1/events?source=vigil&type=auth.login.failed", token=token).json()["items"]
        assert sorted(e["details"]["reason"] for e in failed) == ["bad_password"] * 3 + ["throttled"]
        pg_cluster.psql("DELETE FROM login_failures", database)

        # Refresh-token reuse is detected across nodes, and revocation of a user holds on both.
        user = {"username": "dana", "password": "dana-password-1", "role": "analyst"}
        assert ca.call("POST", "/api/v1/users", user, token=token).status == 201
        first = cb.call("POST", "/api/v1/auth/login", {"username": "dana", "password": "dana-password-1"}).json()
        rotated = ca.call("POST", "/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]})
        assert rotated.status == 200
        assert cb.call("POST", "/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]}).status == 401
        assert ca.call("POST", "/api/v1/auth/refresh", {"refresh_token": rotated.json()["refresh_token"]}).status == 401
        dana = cb.call("POST", "/api/v1/auth/login", {"username": "dana", "password": "dana-password-1"}).json()
        assert cb.call("GET", "/api/v1/auth/me", token=dana["access_token"]).status == 200
        dana_id = ca.call("GET", "/api/v1/auth/me", token=dana["access_token"]).json()["id"]
        assert ca.call("PATCH", f"/api/v1/users/{dana_id}", {"disabled": True}, token=token).status == 200
        # Node B caches users for at most a second.
        wait_for(lambda: cb.call("GET", "/api/v1/auth/me", token=dana["access_token"]).status == 401, 5,
                 "a disabled user's token still works on the other node")
    finally:
        stop_nodes([a, b])


def leaders(nodes):
    return [n for n in nodes if n.proc.poll() is None and n.metric("vigil_leader") == 1]


def test_exactly_one_leader_and_failover(pg_cluster):
    _, nodes = start_nodes(pg_cluster, 3)
    try:
        wait_for(lambda: len(leaders(nodes)) == 1, 10, "no single leader")
        time.sleep(1)
        assert len(leaders(nodes)) == 1
        old = leaders(nodes)[0]
        old.kill()
        survivors = [n for n in nodes if n is not old]
        # PostgreSQL notices the dead session, the lock frees, a survivor takes it.
        wait_for(lambda: len(leaders(survivors)) == 1, 15, "no survivor took over leadership")
        time.sleep(1)
        assert len(leaders(survivors)) == 1
    finally:
        stop_nodes(nodes)


def ingest_across(ports, token, acknowledged, stop, lock):
    """Round-robins single events and batches with client ids over the nodes; a request that
    fails (node dead) is retried with the same ids on the next node until acknowledged."""
    clients = [Client(p, timeout=10) for p in ports]
    turn = 0
    n = 0
    while not stop.is_set():
        n += 1
        ids = [str(uuid.uuid4()) for _ in range(10 if n % 4 == 0 else 1)]
        body = [{"id": i, "type": "cluster.load"} for i in ids]
        for _ in range(len(clients) * 3):
            c = clients[turn % len(clients)]
            turn += 1
            try:
                r = c.call("POST", "/api/v1/events/batch", body, token=token) if len(ids) > 1 else \
                    c.call("POST", "/api/v1/events", body[0], token=token)
            except OSError:
                c.close()
                continue
            if 200 <= r.status < 300:
                with lock:
                    acknowledged.extend(ids)
                break


def test_node_killed_mid_load_loses_and_duplicates_nothing(pg_cluster):
    database, (a, b) = start_nodes(pg_cluster, 2)
    try:
        token = login(a.client(), "admin", ADMIN_PASSWORD)
        acknowledged, stop, lock = [], threading.Event(), threading.Lock()
        threads = [threading.Thread(target=ingest_across, args=([a.port, b.port], token, acknowledged, stop, lock)) for _ in range(8)]
        for t in threads:
            t.start()
        time.sleep(2)
        a.kill()
        before = len(acknowledged)
        time.sleep(2)
        stop.set()
        for t in threads:
            t.join(timeout=60)
        assert before > 100, "the load did not get going"
        assert len(acknowledged) > before, "the surviving node stopped acknowledging"
        stored = all_ids(b.client(), token, "type=cluster.load")
        assert len(stored) == len(set(stored)), "an event was stored twice"
        missing = set(acknowledged) - set(stored)
        assert not missing, f"{len(missing)} acknowledged events lost"
        assert pg_cluster.psql("SELECT count(*) - count(DISTINCT id) FROM events", database) == "0"
        print(f"acknowledged {len(acknowledged)} ({before} before the kill), stored {len(stored)}")
    finally:
        stop_nodes([a, b])
