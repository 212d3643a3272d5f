"""Process lifecycle: first start, restarts, CLI commands, configuration errors."""
import json
import os
import shutil
import time

from vigil_harness import VigilServer, login


def test_first_start_prints_admin_password_once_and_tokens_survive_restart():
    srv = VigilServer(admin_password=None).start()
    try:
        lines = [l for l in srv.read_stderr().splitlines() if "created user 'admin' with password" in l]
        assert len(lines) == 1, srv.read_stderr()
        password = lines[0].split("with password ")[1].split(" ")[0]
        c = srv.client()
        token = login(c, "admin", password)
        assert srv.terminate() == 0
        srv.start()
        c.close()
        # The generated JWT secret was persisted: the old token still works.
        assert c.call("GET", "/api/v1/auth/me", token=token).status == 200
        assert srv.read_stderr().count("created user 'admin' with password") == 1
    finally:
        srv.stop()
        shutil.rmtree(srv.workdir, ignore_errors=True)


def test_cli_migrate_and_user_create():
    srv = VigilServer()
    try:
        r = srv.run_cli("migrate")
        assert r.returncode == 0 and "Applied migrations" in r.stdout, r
        assert "up to date" in srv.run_cli("migrate").stdout
        r = srv.run_cli("user", "create", "--username", "ann", "--role", "analyst", "--password-stdin", stdin="analyst-password\n")
        assert r.returncode == 0, r
        r = srv.run_cli("user", "create", "--username", "ANN", "--role", "user", "--password-stdin", stdin="another-password\n")
        assert r.returncode != 0 and "taken" in r.stderr, r
        r = srv.run_cli("user", "create", "--username", "x", "--role", "boss", "--password-stdin", stdin="p\n")
        assert r.returncode != 0
        srv.start()
        c = srv.client()
        token = login(c, "ann", "analyst-password")
        assert c.call("GET", "/api/v1/auth/me", token=token).json()["role"] == "analyst"
        assert c.call("POST", "/api/v1/events", {"type": "x"}, token=token).status == 201
        listed = srv.run_cli("user", "list").stdout
        assert "ann" in listed and "analyst" in listed, listed
    finally:
        srv.stop()
        shutil.rmtree(srv.workdir, ignore_errors=True)


def test_configuration_errors_fail_clearly():
    srv = VigilServer()
    try:
        for env, needle in [
            ({"VIGIL_DATABASE_URL": "postgres://u:p@127.0.0.1:5432/vigil"}, "PostgreSQL"),
            ({"VIGIL_DATABASE_URL": "mysql://x"}, "VIGIL_DATABASE_URL"),
            ({"VIGIL_JWT_SECRET": "short"}, "32 bytes"),
            ({"VIGIL_PORT": "99999"}, "VIGIL_PORT"),
            ({"VIGIL_REGISTRATION": "maybe"}, "VIGIL_REGISTRATION"),
            ({"VIGIL_BCRYPT_COST": "4"}, "VIGIL_BCRYPT_COST"),
        ]:
            srv.extra_env = env
            r = srv.run_cli("serve")
            assert r.returncode != 0, (env, r)
            assert needle in r.stderr, (env, r.stderr)
    finally:
        shutil.rmtree(srv.workdir, ignore_errors=True)


def test_closed_registration():
    srv = VigilServer(env={"VIGIL_REGISTRATION": "closed"}).start()
    try:
        r = srv.client().call("POST", "/api/v1/auth/register", {"username": "eve", "password": "eve-password"})
        assert r.status == 403 and r.json()["code"] == "registration_closed"
    finally:
        srv.stop()
        shutil.rmtree(srv.workdir, ignore_errors=True)


def test_cli_changes_while_serving_revoke_tokens_and_are_audited():
    srv = VigilServer().start()
    try:
        r = srv.run_cli("user", "create", "--username", "rita", "--role", "analyst", "--password-stdin", stdin="rita-password\n")
        assert r.returncode == 0, r
        c = srv.client()
        token = login(c, "rita", "rita-password")
        assert c.call("POST", "/api/v1/events", {"type": "x"}, token=token).status == 201
        assert srv.run_cli("user", "set-role", "--username", "rita", "--role", "user").returncode == 0
        time.sleep(1.2)  # the server caches user rows for at most one second
        assert c.call("GET", "/api/v1/auth/me", token=token).status == 401
        token = login(c, "rita", "rita-password")
        assert c.call("POST", "/api/v1/events", {"type": "x"}, token=token).status == 403
        assert srv.run_cli("user", "disable", "--username", "rita").returncode == 0
        time.sleep(1.2)
        assert c.call("GET", "/api/v1/auth/me", token=token).status == 401
        r = srv.run_cli("user", "disable", "--username", "admin")
        assert r.returncode != 0 and "last enabled admin" in r.stderr, r
        admin = login(c, "admin", "e2e-admin-password")
        updates = c.call("GET", "/api/v1/events?source=vigil&type=user.updated&order=asc", token=admin).json()["items"]
        assert [u["details"]["after"] for u in updates] == [{"role": "user", "disabled": False}, {"role": "user", "disabled": True}]
        assert all(u["actor"].startswith("cli:") for u in updates)
        created = c.call("GET", "/api/v1/events?source=vigil&type=user.created", token=admin).json()["items"]
        assert [e["details"]["username"] for e in created] == ["rita"]
    finally:
        srv.stop()
        shutil.rmtree(srv.workdir, ignore_errors=True)


def test_config_file_and_secret_files():
    srv = VigilServer(admin_password=None)
    try:
        config = os.path.join(srv.workdir, "vigil.yaml")
        with open(config, "w") as f:
            f.write("registration: open\nlog-format: json\nport: 1\n")  # the harness's VIGIL_PORT wins over the file
        secret = os.path.join(srv.workdir, "admin-password")
        with open(secret, "w") as f:
            f.write("password-from-a-file\n")
        srv.extra_env = {"VIGIL_CONFIG": config, "VIGIL_ADMIN_PASSWORD_FILE": secret}
        srv.start()
        c = srv.client()
        login(c, "admin", "password-from-a-file")
        assert c.call("POST", "/api/v1/auth/register", {"username": "fay", "password": "fay-password-1"}).status == 201
        first = srv.read_stderr().splitlines()[0]
        assert json.loads(first)["level"] in ("info", "notice"), first
    finally:
        srv.stop()
        shutil.rmtree(srv.workdir, ignore_errors=True)
