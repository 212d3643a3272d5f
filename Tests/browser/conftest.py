"""Browser tests of the console: headless Chromium (Debian's chromium and chromium-driver)
driven by Selenium (PyPI) against the built binary. Skipped when either is missing, unless
VIGIL_BROWSER_REQUIRED=1 (set by .ci/run), which turns the skip into a failure."""
import os
import shutil
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))

from browser_support import CHROMEDRIVER, CHROMIUM, new_browser  # noqa: E402
from vigil_harness import BINARY, VigilServer  # noqa: E402

def missing():
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install selenium)"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.path.exists(path):
            return f"{path} not found (apt-get install chromium chromium-driver)"
    if not os.path.exists(BINARY):
        return f"vigil binary not found at {BINARY}"
    return None


def pytest_collection_modifyitems(config, items):
    reason = missing()
    if reason is None:
        return
    if os.environ.get("VIGIL_BROWSER_REQUIRED") == "1":
        raise pytest.UsageError(f"browser tests required but cannot run: {reason}")
    for item in items:
        item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def server():
    srv = VigilServer().start()
    yield srv
    srv.stop()
    shutil.rmtree(srv.workdir, ignore_errors=True)


@pytest.fixture
def browser():
    driver = new_browser()
    yield driver
    driver.quit()
