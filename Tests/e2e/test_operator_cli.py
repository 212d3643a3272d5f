"""What operators do by hand, from the command line while the server runs: passwords, API keys
and backups — each audited like its API counterpart."""
import os
import shutil
import stat
import time

from vigil_harness import ADMIN_PASSWORD, VigilServer, login


def test_set_password_revokes_and_is_audited():
    srv = VigilServer().start()
    try:
        c = srv.client()
        old = login(c, "admin", ADMIN_PASSWORD)
        r = srv.run_cli("user", "set-password", "--username", "admin", "--password-stdin", stdin="short\n")
        assert r.returncode != 0 and "password" in r.stderr, r
        r = srv.run_cli("user", "set-password", "--username", "admin", "--password-stdin", stdin="a-brand-new-password\n")
        assert r.returncode == 0, r
        time.sleep(1.2)  # the server caches user rows for at most one second
        assert c.call("GET", "/api/v1/auth/me", token=old).status == 401
        assert c.call("POST", "/api/v1/auth/login", {"username": "admin", "password": ADMIN_PASSWORD}).status == 401
        admin = login(c, "admin", "a-brand-new-password")
        changed = c.call("GET", "/api/v1/events?source=vigil&type=auth.password.changed", token=admin).json()["items"]
        assert len(changed) == 1 and changed[0]["actor"].startswith("cli:"), changed
    finally:
        srv.stop()
        shutil.rmtree(srv.workdir, ignore_errors=True)


def test_api_keys_from_the_command_line():
    srv = VigilServer().start()
    try:
        r = srv.run_cli("apikey", "create", "--name", "fw-1", "--scope", "events:write", "--scope", "nope")
        assert r.returncode != 0 and "scopes" in r.stderr, r
        r = srv.run_cli("apikey", "create", "--name", "fw-1", "--scope", "events:write")
        assert r.returncode == 0, r
        secret = r.stdout.strip().splitlines()[-1]
        assert secret.startswith("vgl_"), r.stdout
        c = srv.client()
        assert c.call("POST", "/api/v1/events", {"type": "fw.drop"}, headers={"X-API-Key": secret}).status == 201
        listed = srv.run_cli("apikey", "list")
        assert listed.returncode == 0 and "fw-1" in listed.stdout and "active" in listed.stdout and secret not in listed.stdout, listed
        key_id = listed.stdout.split()[0]
        assert srv.run_cli("apikey", "revoke", "--id", key_id).returncode == 0
        time.sleep(1.2)  # the server caches keys for at most one second
        assert c.call("POST", "/api/v1/events", {"type": "fw.drop"}, headers={"X-API-Key": secret}).status == 401
        admin = login(c, "admin", ADMIN_PASSWORD)
        audited = c.call("GET", "/api/v1/events?source=vigil&type=apikey.*&order=asc", token=admin).json()["items"]
        assert [e["type"] for e in audited] == ["apikey.created", "apikey.revoked"], audited
    finally:
        srv.stop()
        shutil.rmtree(srv.workdir, ignore_errors=True)


def test_backup_is_a_consistent_private_copy():
    srv = VigilServer().start()
    try:
        c = srv.client()
        admin = login(c, "admin", ADMIN_PASSWORD)
        assert c.call("POST", "/api/v1/events", {"type": "before.backup", "actor": "ann"}, token=admin).status == 201
        copy = os.path.join(srv.workdir, "copy.sqlite")
        r = srv.run_cli("backup", "--output", copy)
        assert r.returncode == 0, r
        assert stat.S_IMODE(os.stat(copy).st_mode) == 0o600
        r = srv.run_cli("backup", "--output", copy)
        assert r.returncode != 0 and "exists" in r.stderr, r
    finally:
        srv.stop()
    restored = VigilServer(workdir=srv.workdir, database_url=f"sqlite://{copy}").start()
    try:
        c = restored.client()
        admin = login(c, "admin", ADMIN_PASSWORD)
        items = c.call("GET", "/api/v1/events?type=before.backup", token=admin).json()["items"]
        assert [e["actor"] for e in items] == ["ann"], items
    finally:
        restored.stop()
        shutil.rmtree(srv.workdir, ignore_errors=True)
