"""The binary on its own: copied alone into an empty folder, with the build folder hidden from
it, it still starts, serves its OpenAPI document and runs the walkthrough."""
import os
import shutil
import subprocess
import tempfile

import pytest

from vigil_harness import BINARY, ROOT, VigilServer, login, ADMIN_PASSWORD


def build_folder():
    """The `.build` folder the tested binary was built in (the repository's by default)."""
    path = os.path.realpath(BINARY)
    while path != os.path.dirname(path):
        if os.path.basename(path) == ".build":
            return path
        path = os.path.dirname(path)
    return os.path.join(ROOT, ".build")


def hidden_build_folder_command(binary):
    """argv that runs `binary` in a private mount namespace where the build folder is an empty
    tmpfs: nothing the build produced besides the binary itself is reachable."""
    build = build_folder()
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", 'mount -t tmpfs tmpfs "$0" && exec "$@"', build, binary]


@pytest.fixture
def lone_binary():
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("hiding the build folder needs root and unshare(1)")
    folder = tempfile.mkdtemp(prefix="vigil-alone-")
    copy = os.path.join(folder, "vigil")
    shutil.copy2(BINARY, copy)
    yield copy
    shutil.rmtree(folder, ignore_errors=True)


def test_version_names_the_release(lone_binary):
    r = subprocess.run(hidden_build_folder_command(lone_binary) + ["--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r
    assert r.stdout.startswith("vigil ") and "(" in r.stdout, r.stdout


def test_binary_alone_runs_the_walkthrough(lone_binary):
    srv = VigilServer(command=hidden_build_folder_command(lone_binary))
    try:
        srv.start()
        c = srv.client()
        token = login(c, "admin", ADMIN_PASSWORD)
        r = c.call("POST", "/api/v1/events", {"type": "auth.login.failed", "actor": "alice", "ip": "203.0.113.7"}, token=token)
        assert r.status == 201, r
        event = r.json()
        r = c.call("GET", "/api/v1/events?type=auth.login.failed&actor=alice", token=token)
        assert [e["id"] for e in r.json()["items"]] == [event["id"]], r
        spec = c.call("GET", "/openapi.json").json()
        assert spec["openapi"] == "3.1.0" and "/api/v1/events" in spec["paths"]
    finally:
        srv.stop()
        shutil.rmtree(srv.workdir, ignore_errors=True)
