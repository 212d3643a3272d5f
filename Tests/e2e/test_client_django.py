"""vigil_client.django in a real Django app (Django from PyPI, the client installed with pip
into a venv) against the real Vigil binary: the app's logins, failed logins, logouts, 403s and
model changes arrive with Vigil's event names, the built-in brute-force rule fires for them,
and a Vigil that is down never breaks the app."""
import datetime
import json
import shutil
import time

import pytest

from django_harness import PASSWORDS, DjangoApp
from vigil_harness import ADMIN_PASSWORD, VigilServer, login


def app_key(server):
    token = login(server.client(), "admin", ADMIN_PASSWORD)
    response = server.client().call("POST", "/api/v1/api-keys", {"name": "shop", "scopes": ["events:write", "events:read"]}, token=token)
    assert response.status == 201, response
    return token, response.json()["secret"]


@pytest.fixture
def stack(python_env, tmp_path):
    server = VigilServer().start()
    token, key = app_key(server)
    app = DjangoApp(python_env, str(tmp_path), f"http://127.0.0.1:{server.port}", key).prepare().start()
    yield server, token, app
    app.stop()
    server.stop()
    shutil.rmtree(server.workdir, ignore_errors=True)


def events(server, token, query):
    response = server.client().call("GET", f"/api/v1/events?limit=1000&order=asc&{query}", token=token)
    assert response.status == 200, response
    return response.json()["items"]


def wait_for(fetch, predicate, timeout=30):
    deadline = time.time() + timeout
    while True:
        value = fetch()
        if predicate(value) or time.time() > deadline:
            return value
        time.sleep(0.1)


def test_five_failed_logins_raise_one_brute_force_alert_for_that_address(stack):
    server, token, app = stack
    attacker, neighbour = app.session("198.51.100.7"), app.session("198.51.100.8")
    for name in ("alice", "bob", "carol", "dave", "erin"):
        assert attacker.login(name, "wrong-password") == 200  # the form again: a failed login
    for _ in range(4):
        assert neighbour.login("alice", "still-wrong") == 200
    assert app.session("203.0.113.9").login("alice", PASSWORDS["alice"]) == 302

    failed = wait_for(lambda: events(server, token, "type=auth.login.failed"), lambda items: len(items) >= 9)
    assert sorted((e["ip"], e["actor"]) for e in failed) == sorted(
        [("198.51.100.7", n) for n in ("alice", "bob", "carol", "dave", "erin")] + [("198.51.100.8", "alice")] * 4
    )
    for event in failed:
        assert event["source"] == "django" and event["ingested_by"] == "apikey:shop"
        assert (event["severity"], event["outcome"]) == ("medium", "failure")
        assert event["details"]["path"] == "/accounts/login/" and event["details"]["method"] == "POST"
        assert "wrong-password" not in json.dumps(event) and "still-wrong" not in json.dumps(event)
    succeeded = wait_for(lambda: events(server, token, "type=auth.login.succeeded&source=django"), lambda items: items)
    assert [(e["actor"], e["ip"], e["entity_type"]) for e in succeeded] == [("alice", "203.0.113.9", "user")]

    def brute_force():
        answer = server.client().call("GET", "/api/v1/alerts?limit=100&q=Brute-force", token=token)
        return answer.json()["items"]

    alerts = wait_for(brute_force, lambda items: items, timeout=10)
    time.sleep(1.0)  # anything a second alert would need has been detected by now
    alerts = brute_force()
    assert [(a["rule_name"], a["group_key"], a["count"], a["severity"]) for a in alerts] == [("Brute-force login", "ip=198.51.100.7", 5, "high")]


def test_model_changes_arrive_with_changed_fields_and_never_secret_values(stack):
    server, token, app = stack
    boss = app.session("192.0.2.20")
    assert boss.login("boss", PASSWORDS["boss"]) == 302
    status, body = boss.post("/items/", {"name": "lamp", "price": "12.50", "vault_code": "VAULT-111"})
    assert status == 201, body
    item = json.loads(body)["id"]
    assert boss.post(f"/items/{item}/", {"price": "14.00", "vault_code": "VAULT-222"})[0] == 200
    assert boss.post(f"/items/{item}/", {"price": "14.00"})[0] == 200  # nothing changed: no event
    assert boss.post(f"/items/{item}/", {"delete": "1"})[0] == 204
    assert boss.post("/password/", {"password": "a-brand-new-password"})[0] == 204

    changes = wait_for(lambda: events(server, token, "type=inventory.*"), lambda items: len(items) >= 3)
    assert [e["type"] for e in changes] == ["inventory.item.created", "inventory.item.updated", "inventory.item.deleted"]
    for event in changes:
        assert (event["actor"], event["ip"], event["entity_type"], event["entity_id"]) == ("boss", "192.0.2.20", "inventory.item", str(item))
        assert "VAULT-" not in json.dumps(event), event
    created, updated, deleted = (e["details"] for e in changes)
    assert created["changed_fields"] == ["id", "name", "price", "vault_code"]
    assert created["changes"]["name"] == {"to": "lamp"} and "vault_code" not in created["changes"]
    assert updated["changed_fields"] == ["price", "vault_code"]
    assert updated["changes"] == {"price": {"from": "12.50", "to": "14.00"}}
    assert deleted["changes"]["name"] == {"from": "lamp"} and "vault_code" not in deleted["changes"]

    # auth.User is configured too: the password's name is sent, never its hash.
    user = wait_for(lambda: events(server, token, "type=auth.user.updated"), lambda items: items)
    assert [e["details"]["changed_fields"] for e in user] == [["password"]]
    assert "pbkdf2" not in json.dumps(user) and user[0]["details"]["changes"] == {}


def test_denied_requests_and_logouts_are_recorded(stack):
    server, token, app = stack
    alice = app.session("192.0.2.30")
    assert alice.login("alice", PASSWORDS["alice"]) == 302
    assert alice.get("/reports/")[0] == 403  # PermissionDenied in the view
    assert alice.post("/accounts/logout/", {})[0] == 302
    forged = app.session("192.0.2.31")
    assert forged.request("POST", "/items/", {"name": "x"})[0] == 403  # no CSRF token

    denied = wait_for(lambda: events(server, token, "type=access.denied"), lambda items: len(items) >= 2)
    assert [(e["actor"], e["ip"], e["details"]["reason"], e["details"]["path"]) for e in denied] == [
        ("alice", "192.0.2.30", "reports are for administrators", "/reports/"),
        (None, "192.0.2.31", "forbidden", "/items/"),
    ]
    assert denied[0]["description"] == "GET reports/ denied (403)"
    logouts = wait_for(lambda: events(server, token, "type=auth.logout"), lambda items: items)
    assert [(e["actor"], e["ip"]) for e in logouts] == [("alice", "192.0.2.30")]


def test_vigil_down_the_app_still_answers_and_the_events_arrive_when_it_returns(stack):
    server, token, app = stack
    assert server.terminate() == 0
    attacker = app.session("198.51.100.99")
    started = time.time()
    for index in range(5):
        assert attacker.login(f"user{index}", "wrong-password") == 200
    boss = app.session("192.0.2.40")
    assert boss.login("boss", PASSWORDS["boss"]) == 302
    assert boss.post("/items/", {"name": "kept", "price": "1.00", "vault_code": "VAULT-9"})[0] == 201
    elapsed = time.time() - started
    # Eight requests with Vigil unreachable: no request waited for it (each would wait at
    # least one connection attempt otherwise; the sender's back-off never touches requests).
    assert elapsed < 5, f"{elapsed:.1f} s"
    assert app.proc.poll() is None

    back_at = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    returned = VigilServer(workdir=server.workdir)
    returned.port = server.port  # the app keeps its VIGIL_URL
    returned.start()
    try:
        arrived = wait_for(lambda: events(returned, token, "ip=198.51.100.99"), lambda items: len(items) >= 5, timeout=60)
        assert sorted(e["actor"] for e in arrived) == [f"user{i}" for i in range(5)]
        # Stamped when they happened, while Vigil was down; received after it came back.
        assert all(e["occurred_at"] < back_at < e["received_at"] for e in arrived), (back_at, arrived)
        kept = wait_for(lambda: events(returned, token, "type=inventory.item.created"), lambda items: items)
        assert [e["details"]["changes"]["name"] for e in kept] == [{"to": "kept"}]
        # Their times are when they happened, so the brute-force window still closes on them.
        alerts = wait_for(
            lambda: returned.client().call("GET", "/api/v1/alerts?q=198.51.100.99", token=token).json()["items"],
            lambda items: items,
            timeout=10,
        )
        assert [(a["group_key"], a["count"]) for a in alerts] == [("ip=198.51.100.99", 5)]
    finally:
        returned.stop()


CHECKS = r"""
import ipaddress
from types import SimpleNamespace
from django.conf import settings
settings.configure(VIGIL_SECRET_FIELDS=["vault_code"])
from vigil_client.django.conf import ModelRule, Settings
from vigil_client.django.request_info import client_address

def request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return SimpleNamespace(META=meta)

local = [ipaddress.ip_network("127.0.0.1/32")]
chain = local + [ipaddress.ip_network("10.0.0.0/8")]
cases = [
    (request("10.0.0.1", "1.2.3.4"), [], "10.0.0.1"),                      # no proxy trusted: the header is ignored
    (request("203.0.113.5", "1.2.3.4"), local, "203.0.113.5"),            # not from a trusted proxy
    (request("127.0.0.1", "6.6.6.6, 198.51.100.7"), local, "198.51.100.7"),  # the client's own entry is not believed
    (request("127.0.0.1", "198.51.100.7, 10.1.1.1"), chain, "198.51.100.7"),  # two trusted hops
    (request("127.0.0.1", "not-an-address"), local, "127.0.0.1"),         # garbage: the proxy's address
    (request("127.0.0.1", "10.2.2.2"), chain, "10.2.2.2"),                # nothing but proxies: the farthest
    (request("fe80::1%eth0"), [], "fe80::1"),                              # a zone is dropped
    (request("::ffff:192.0.2.1"), [], "::ffff:c000:201"),
    (request("junk"), [], None),
]
for req, trusted, expected in cases:
    got = client_address(req, trusted)
    assert got == expected, (req.META, got, expected)

conf = Settings()
rule = ModelRule("shop.order", frozenset({"card_token"}), frozenset())
secret = ["password", "password_hash", "api_key", "card_token", "vault_code", "otp_secret", "SessionToken".lower(), "pin"]
public = ["name", "shipping_address", "price", "keynote_title", "email", "is_active"]
assert all(conf.is_secret(rule, n) for n in secret), [n for n in secret if not conf.is_secret(rule, n)]
assert not any(conf.is_secret(rule, n) for n in public), [n for n in public if conf.is_secret(rule, n)]
print("ok")
"""


def test_client_address_and_secret_fields(python_env):
    """The two decisions an attacker would aim at: which address an event is recorded under
    (only trusted proxies' X-Forwarded-For, read from the right) and which values stay out."""
    result = python_env.run(["-c", CHECKS])
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stdout + result.stderr
