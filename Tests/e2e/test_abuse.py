"""Login throttling per client address and the trusted-proxy rule, over real sockets."""
import shutil

from vigil_harness import ADMIN_PASSWORD, VigilServer, login


def audit(c, token, type_):
    return c.call("GET", f"/api/v1/events?source=vigil&type={type_}&limit=1000", token=token).json()["items"]


def test_forged_forwarded_for_is_ignored_unless_the_peer_is_trusted():
    for trusted, expected in [(None, "127.0.0.1"), ("127.0.0.0/8", "198.51.100.23")]:
        srv = VigilServer(env={"VIGIL_TRUSTED_PROXIES": trusted} if trusted else {}).start()
        try:
            c = srv.client()
            r = c.call("POST", "/api/v1/auth/login", {"username": "admin", "password": "not-the-password"},
                       headers={"X-Forwarded-For": "198.51.100.23", "User-Agent": "e2e-agent"})
            assert r.status == 401 and r.headers["cache-control"] == "no-store"
            token = login(c, "admin", ADMIN_PASSWORD)
            failed = audit(c, token, "auth.login.failed")
            assert [e["ip"] for e in failed] == [expected], (trusted, failed)
            assert failed[0]["details"]["user_agent"] == "e2e-agent"
        finally:
            srv.stop()
            shutil.rmtree(srv.workdir, ignore_errors=True)


def test_failures_from_one_address_are_throttled_whatever_the_username():
    srv = VigilServer(env={"VIGIL_LOGIN_IP_LIMIT": "4"}).start()
    try:
        c = srv.client()
        for n in range(4):
            r = c.call("POST", "/api/v1/auth/login", {"username": f"guess{n}", "password": "wrong-password"})
            assert r.status == 401, r
        answers = []
        for name, password in [("admin", ADMIN_PASSWORD), ("nobody", "wrong-password")]:
            r = c.call("POST", "/api/v1/auth/login", {"username": name, "password": password})
            assert r.status == 429 and r.json()["code"] == "too_many_requests", r
            assert 1 <= int(r.headers["retry-after"]) <= 60
            answers.append(r.json()["detail"])
        assert answers[0] == answers[1]  # nothing reveals whether the username exists
    finally:
        srv.stop()
        shutil.rmtree(srv.workdir, ignore_errors=True)


def test_ipv6_clients_are_throttled_by_their_slash_64_and_only_the_configured_header_counts():
    srv = VigilServer(env={"VIGIL_TRUSTED_PROXIES": "127.0.0.0/8", "VIGIL_LOGIN_IP_LIMIT": "3"}).start()
    try:
        c = srv.client()
        # Three failures from three addresses of one /64: the fourth address is throttled too.
        for n in range(1, 4):
            r = c.call("POST", "/api/v1/auth/login", {"username": f"guess{n}", "password": "wrong-password"},
                       headers={"X-Forwarded-For": f"2001:db8:1:2::{n}"})
            assert r.status == 401, r
        r = c.call("POST", "/api/v1/auth/login", {"username": "guess4", "password": "wrong-password"},
                   headers={"X-Forwarded-For": "2001:db8:1:2:ffff::4"})
        assert r.status == 429, r
        # Another /64 is another client.
        r = c.call("POST", "/api/v1/auth/login", {"username": "guess5", "password": "wrong-password"},
                   headers={"X-Forwarded-For": "2001:db8:1:3::1"})
        assert r.status == 401, r
        # A Forwarded header is not believed when the proxies write X-Forwarded-For.
        r = c.call("POST", "/api/v1/auth/login", {"username": "guess6", "password": "wrong-password"},
                   headers={"X-Forwarded-For": "2001:db8:1:2::9", "Forwarded": "for=198.51.100.77"})
        assert r.status == 429, r
    finally:
        srv.stop()
        shutil.rmtree(srv.workdir, ignore_errors=True)
    srv = VigilServer(env={"VIGIL_TRUSTED_PROXIES": "127.0.0.0/8", "VIGIL_PROXY_HEADER": "forwarded"}).start()
    try:
        c = srv.client()
        r = c.call("POST", "/api/v1/auth/login", {"username": "nobody", "password": "wrong-password"},
                   headers={"X-Forwarded-For": "203.0.113.66", "Forwarded": "for=198.51.100.77"})
        assert r.status == 401
        token = login(c, "admin", ADMIN_PASSWORD)
        assert [e["ip"] for e in audit(c, token, "auth.login.failed")] == ["198.51.100.77"]
    finally:
        srv.stop()
        shutil.rmtree(srv.workdir, ignore_errors=True)
