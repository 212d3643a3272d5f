"""The console's administration pages in a real browser: each change lands as its API call."""
import json
import shutil
import time

import pytest
from browser_support import replaced
from receivers import WebhookReceiver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait
from test_console import base, sign_in
from vigil_harness import ADMIN_PASSWORD, VigilServer, login


@pytest.fixture
def local_server():
    """A server that may send to receivers on 127.0.0.1."""
    srv = VigilServer(env={"VIGIL_ALLOW_PRIVATE_TARGETS": "true"}).start()
    yield srv
    srv.stop()
    shutil.rmtree(srv.workdir, ignore_errors=True)


def submit(browser, form_selector):
    old = browser.find_element(By.TAG_NAME, "main")
    browser.find_element(By.CSS_SELECTOR, f"{form_selector} button[type='submit']").click()
    WebDriverWait(browser, 10).until(replaced(old))


def test_users_and_api_keys(local_server, browser):
    server = local_server
    token = login(server.client(), "admin", ADMIN_PASSWORD)
    sign_in(browser, server, "admin", ADMIN_PASSWORD)
    browser.get(base(server) + "/admin/users")
    browser.find_element(By.ID, "u-name").send_keys("carol")
    browser.find_element(By.ID, "u-password").send_keys("carol-password-1")
    browser.find_element(By.CSS_SELECTOR, "#u-role option").click()
    submit(browser, "form[action='/admin/users']")
    users = server.client().call("GET", "/api/v1/users", token=token).json()["items"]
    assert any(u["username"] == "carol" and u["role"] == "analyst" for u in users)

    browser.get(base(server) + "/admin/api-keys")
    browser.find_element(By.ID, "k-name").send_keys("edr-forwarder")
    submit(browser, "form[action='/admin/api-keys']")
    secret = browser.find_element(By.ID, "new-secret").text
    assert secret.startswith("vgl_")
    assert browser.current_url.endswith("/admin/api-keys") and secret not in browser.current_url
    r = server.client().call("POST", "/api/v1/events", {"type": "edr.test"}, headers={"X-API-Key": secret})
    assert r.status == 201, r
    browser.get(base(server) + "/admin/api-keys")
    assert secret not in browser.page_source, "the secret is shown once"
    keys = server.client().call("GET", "/api/v1/api-keys", token=token).json()["items"]
    assert [k["name"] for k in keys] == ["edr-forwarder"] and keys[0]["scopes"] == ["events:write"]
    submit(browser, "form[action$='/revoke']")
    assert server.client().call("POST", "/api/v1/events", {"type": "edr.test"}, headers={"X-API-Key": secret}).status == 401


def test_rule_backtest_channel_test_and_delivery_retry(local_server, browser):
    server = local_server
    token = login(server.client(), "admin", ADMIN_PASSWORD)
    client = server.client()
    failures = [{"type": "auth.login.failed", "actor": f"u{i}", "ip": "203.0.113.50", "outcome": "failure"} for i in range(6)]
    assert client.call("POST", "/api/v1/events/batch", failures, token=token).status == 201
    receiver = WebhookReceiver().start()
    try:
        sign_in(browser, server, "admin", ADMIN_PASSWORD)
        browser.get(base(server) + "/admin/rules")
        browser.find_element(By.PARTIAL_LINK_TEXT, "Brute-force").click()
        WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "b-from")))
        submit(browser, "form[action$='/backtest']")
        results = browser.find_element(By.ID, "backtest-results").text
        assert "203.0.113.50" in results, results

        browser.get(base(server) + "/admin/channels")
        definition = browser.find_element(By.ID, "c-definition")
        definition.clear()
        definition.send_keys(json.dumps({"name": "soc", "kind": "webhook", "config": {"url": receiver.url}, "min_severity": "high"}))
        submit(browser, "form[action='/admin/channels']")
        assert browser.find_element(By.CSS_SELECTOR, ".secret .secret-value").text, "the generated signing secret is shown once"
        submit(browser, "form[action$='/test']")
        assert "delivered" in browser.find_element(By.ID, "test-result").text
        assert receiver.wait_for(lambda received: len(received) >= 1)

        receiver.status = 500
        r = client.call("POST", "/api/v1/events", {"type": "ids.alert", "severity": "critical", "actor": "retry-me"}, token=token)
        assert r.status == 201
        dead = None
        for _ in range(100):
            items = client.call("GET", "/api/v1/deliveries", token=token).json()["items"]
            dead = next((d for d in items if d["attempts"] >= 1 and d["status"] in ("pending", "dead")), None)
            if dead:
                break
            time.sleep(0.1)
        assert dead, "a failing delivery"
        receiver.status = 200
        browser.get(base(server) + "/admin/deliveries")
        submit(browser, f"form[action='/admin/deliveries/{dead['id']}/retry']")
        retried = client.call("GET", "/api/v1/events?type=delivery.retried", token=token).json()["items"]
        assert len(retried) == 1 and retried[0]["entity_id"] == dead["id"]
    finally:
        receiver.stop()
