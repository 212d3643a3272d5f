"""Detection through the real binary: Vigil's own audit events raise alerts within a second,
and on a PostgreSQL cluster exactly one detector runs, with failover and no duplicate alerts."""
import threading
import time
import uuid

from test_postgres_cluster import leaders, start_nodes, stop_nodes, wait_for
from vigil_harness import ADMIN_PASSWORD, login


def alerts(client, token, query=""):
    response = client.call("GET", f"/api/v1/alerts?limit=1000&{query}", token=token)
    assert response.status == 200, response
    return response.json()["items"]


def wait_for_alerts(client, token, query, predicate, timeout=5.0):
    deadline = time.time() + timeout
    while True:
        items = alerts(client, token, query)
        if predicate(items) or time.time() > deadline:
            return items
        time.sleep(0.01)


def test_failed_logins_and_refresh_reuse_raise_alerts_within_a_second(server, admin_token):
    client = server.client()
    # Five wrong passwords from 127.0.0.1 (different usernames, so the per-user back-off does
    # not answer 429 first): the audit events feed the brute-force rule.
    for index in range(5):
        response = client.call("POST", "/api/v1/auth/login", {"username": f"nobody{index}", "password": "wrong-password"})
        assert response.status == 401, response
    answered = time.time()
    found = wait_for_alerts(client, admin_token, "q=Brute", lambda items: items)
    latency = time.time() - answered
    assert len(found) == 1, found
    assert found[0]["group_key"] == "ip=127.0.0.1" and found[0]["count"] == 5 and found[0]["severity"] == "high"
    assert latency < 1.0, f"alert after {latency:.3f} s"

    # A refresh token presented twice: the reuse is detected and raises a critical alert.
    pair = client.call("POST", "/api/v1/auth/login", {"username": "admin", "password": ADMIN_PASSWORD}).json()
    assert client.call("POST", "/api/v1/auth/refresh", {"refresh_token": pair["refresh_token"]}).status == 200
    assert client.call("POST", "/api/v1/auth/refresh", {"refresh_token": pair["refresh_token"]}).status == 401
    reuse = wait_for_alerts(client, admin_token, "q=Refresh%20token%20reuse", lambda items: items)
    # The reuse event is critical, so the high-severity rule promotes it too: two rules, two alerts.
    assert [(a["rule_name"], a["severity"]) for a in reuse] == [("Refresh token reuse", "critical")], reuse

    # Triage through the API leaves a history and an audit record.
    alert_id = found[0]["id"]
    response = client.call("PATCH", f"/api/v1/alerts/{alert_id}", {"status": "resolved", "note": "test run"}, token=admin_token)
    assert response.status == 200, response
    assert [h["to"] for h in response.json()["history"]] == ["open", "resolved"]
    updated = client.call("GET", "/api/v1/events?type=alert.updated", token=admin_token).json()["items"]
    assert [e["entity_id"] for e in updated] == [alert_id]


def test_a_window_spanning_a_restart_still_fires(server, admin_token):
    client = server.client()
    for _ in range(3):
        assert client.call("POST", "/api/v1/events", {"type": "auth.login.failed", "ip": "192.0.2.10"}, token=admin_token).status == 201
    marker = f"marker-{uuid.uuid4()}"
    client.call("POST", "/api/v1/events", {"type": "test.marker", "severity": "critical", "actor": marker}, token=admin_token)
    assert wait_for_alerts(client, admin_token, f"q={marker}", lambda items: items), "the detector did not catch up"
    server.stop()
    server.start()
    client = server.client()
    token = login(client, "admin", ADMIN_PASSWORD)
    for _ in range(2):
        assert client.call("POST", "/api/v1/events", {"type": "auth.login.failed", "ip": "192.0.2.10"}, token=token).status == 201
    found = wait_for_alerts(client, token, "q=192.0.2.10", lambda items: items)
    assert [a["count"] for a in found] == [5]


def ingest_failures(port, token, ips, rounds, errors):
    from vigil_harness import Client

    client = Client(port)
    for _ in range(rounds):
        for ip in ips:
            response = client.call("POST", "/api/v1/events", {"type": "auth.login.failed", "ip": ip}, token=token)
            if response is None or response.status != 201:
                errors.append(response)
                return


def ingest_through(nodes, token, ips, rounds):
    """Each node ingests `rounds` failures per address, all nodes at once."""
    errors = []
    threads = [threading.Thread(target=ingest_failures, args=(n.port, token, ips, rounds, errors)) for n in nodes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_cluster_raises_each_alert_once_through_leader_failover(pg_cluster):
    database, nodes = start_nodes(pg_cluster, 3)
    try:
        wait_for(lambda: len(leaders(nodes)) == 1, 10, "no single leader")
        token = login(nodes[0].client(), "admin", ADMIN_PASSWORD)
        ips = [f"10.66.0.{i}" for i in range(8)]
        # Each node ingests 6 failures per address, all three at once: 18 per address.
        ingest_through(nodes, token, ips, 6)
        survivor = [n for n in nodes if n is not leaders(nodes)[0]]
        wait_for(
            lambda: len(alerts(survivor[0].client(), token, "q=10.66.0.")) == 8
            and all(a["count"] == 18 for a in alerts(survivor[0].client(), token, "q=10.66.0.")),
            10,
            "alerts did not settle before the failover",
        )
        # Kill the leader (its detector with it), ingest more through the others.
        leaders(nodes)[0].kill()
        ingest_through(survivor, token, ips, 2)
        wait_for(lambda: len(leaders(survivor)) == 1, 15, "no survivor took over leadership")
        wait_for(
            lambda: all(a["count"] == 22 for a in alerts(survivor[0].client(), token, "q=10.66.0.")),
            15,
            "the new leader's detector did not count the new events",
        )
        found = alerts(survivor[1].client(), token, "q=10.66.0.")
        assert sorted(a["group_key"] for a in found) == sorted(f"ip={ip}" for ip in ips)
        assert all(a["count"] == 22 for a in found), [a["count"] for a in found]
        assert pg_cluster.psql("SELECT count(*) FROM alerts WHERE group_key LIKE 'ip=10.66.0.%'", database) == "8"
        assert pg_cluster.psql("SELECT count(*) FROM events WHERE type = 'alert.created' AND description LIKE '%10.66.0.%'", database) == "8"
    finally:
        stop_nodes(nodes)
