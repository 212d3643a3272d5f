import os
import shutil

import pytest

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
def admin_token(server):
    return login(server.client(), "admin", ADMIN_PASSWORD)
