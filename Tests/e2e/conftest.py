import os
import shutil

import pytest

from pg_harness import PostgresCluster, unavailable_reason
from vigil_harness import ADMIN_PASSWORD, BINARY, VigilServer, login


def pytest_sessionstart(session):
    if not os.path.exists(BINARY):
        raise pytest.UsageError(f"vigil binary not found at {BINARY}; run `swift build` first or set VIGIL_BIN")


@pytest.fixture
def server():
    srv = VigilServer().start()
    yield srv
    srv.stop()
    shutil.rmtree(srv.workdir, ignore_errors=True)


@pytest.fixture
def open_server():
    """A server with self-registration open (it is closed by default)."""
    srv = VigilServer(env={"VIGIL_REGISTRATION": "open"}).start()
    yield srv
    srv.stop()
    shutil.rmtree(srv.workdir, ignore_errors=True)


@pytest.fixture
def admin_token(server):
    return login(server.client(), "admin", ADMIN_PASSWORD)


@pytest.fixture(scope="module")
def pg_cluster():
    """A PostgreSQL cluster for one test module. Skipped where PostgreSQL cannot run, unless
    VIGIL_E2E_REQUIRE_POSTGRES=1 (set by .ci/run), which turns the skip into a failure."""
    reason = unavailable_reason()
    if reason:
        if os.environ.get("VIGIL_E2E_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL end-to-end tests required but cannot run: {reason}")
        pytest.skip(reason)
    cluster = PostgresCluster().start()
    yield cluster
    cluster.remove()


@pytest.fixture(scope="session")
def python_env(tmp_path_factory):
    """A venv with the Python client installed from clients/python and Django from PyPI."""
    from python_env import PythonEnv

    env = PythonEnv(str(tmp_path_factory.mktemp("venv"))).create()
    print(f"client venv: Python {env.version()} (from {env.base})")
    return env
