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
