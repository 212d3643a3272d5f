#!/usr/bin/env python3
"""Takes the README's console screenshots: starts the built binary on SQLite in a temporary
directory, fills it with a morning's worth of events through the API, and photographs every
page in headless Chromium at 1280×800 (and the queue at phone width) into docs/screenshots/.

    VIGIL_BIN=.build/debug/vigil python3 scripts/console-screenshots.py
"""
import os
import shutil
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "Tests", "e2e"))
sys.path.insert(0, os.path.join(ROOT, "Tests", "browser"))

from browser_support import new_browser  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from vigil_harness import ADMIN_PASSWORD, VigilServer, login  # noqa: E402

OUT = os.path.join(ROOT, "docs", "screenshots")


def seed(server, token):
    client = server.client()
    events = []
    for i in range(40):
        events.append({"type": "auth.login.failed", "severity": "low", "actor": f"user{i % 7}", "ip": f"203.0.113.{i % 9}",
                       "outcome": "failure", "source": "sso", "description": "Wrong password"})
    for i in range(30):
        events.append({"type": "vpn.session", "actor": f"user{i % 5}", "ip": "192.0.2.10", "source": "vpn", "description": "VPN session opened",
                       "details": {"port": 443, "client": "wireguard"}})
    events.append({"type": "malware.detected", "severity": "critical", "actor": "svc-backup", "ip": "198.51.100.23", "source": "edr",
                   "description": "Ransomware note written on fileserver-3", "details": {"host": "fileserver-3", "sha256": "9f2c…"}})
    events.append({"type": "firewall.blocked", "severity": "high", "ip": "198.51.100.77", "source": "fw-edge", "description": "Outbound C2 beacon blocked"})
    events.append({"type": "iam.policy.changed", "severity": "medium", "actor": "alice", "source": "cloud", "description": "Admin policy attached to role ci-deploy"})
    assert client.call("POST", "/api/v1/events/batch", events, token=token).status == 201
    client.call("POST", "/api/v1/users", {"username": "ana", "password": "analyst-password-1", "role": "analyst"}, token=token)
    client.call("POST", "/api/v1/api-keys", {"name": "edr-forwarder", "scopes": ["events:write"]}, token=token)
    client.call("POST", "/api/v1/channels", {"name": "soc-webhook", "kind": "webhook", "config": {"url": "http://127.0.0.1:9/hook"},
                                            "min_severity": "high"}, token=token)
    time.sleep(2)


def shoot(browser, name, full=True):
    if full:
        height = browser.execute_script("return Math.max(document.body.scrollHeight, 800)")
        browser.set_window_size(browser.get_window_size()["width"], min(height, 2400))
    browser.save_screenshot(os.path.join(OUT, name + ".png"))
    print("wrote", name)


def main():
    os.makedirs(OUT, exist_ok=True)
    server = VigilServer(env={"VIGIL_LOGIN_MAX_FAILURES": "1000"}).start()
    browser = new_browser()
    try:
        token = login(server.client(), "admin", ADMIN_PASSWORD)
        seed(server, token)
        base = f"http://127.0.0.1:{server.port}"
        browser.get(base + "/")
        shoot(browser, "sign-in", full=False)
        browser.find_element(By.ID, "username").send_keys("admin")
        browser.find_element(By.ID, "password").send_keys(ADMIN_PASSWORD)
        browser.find_element(By.CSS_SELECTOR, "form[action='/sign-in'] button").click()
        time.sleep(1)
        shoot(browser, "alert-queue")
        alert = browser.find_element(By.CSS_SELECTOR, "#alert-rows a").get_attribute("href")
        browser.set_window_size(1280, 800)
        browser.get(alert)
        shoot(browser, "alert")
        pages = [("events", "/events?type=auth.*"), ("overview", "/overview"), ("users", "/admin/users"),
                 ("api-keys", "/admin/api-keys"), ("rules", "/admin/rules"), ("channels", "/admin/channels"),
                 ("deliveries", "/admin/deliveries"), ("docs", "/docs")]
        for name, path in pages:
            browser.set_window_size(1280, 800)
            browser.get(base + path)
            shoot(browser, name, full=name != "docs")
        browser.set_window_size(1280, 800)
        browser.get(base + "/docs#patch-api-v1-alerts--id-")
        shoot(browser, "docs-operation", full=False)
        browser.get(base + "/events")
        browser.find_element(By.CSS_SELECTOR, "#event-results a").click()
        time.sleep(0.5)
        shoot(browser, "event")
        browser.get(base + "/admin/rules")
        browser.find_element(By.CSS_SELECTOR, "table a").click()
        browser.find_element(By.CSS_SELECTOR, "form[action$='/backtest'] button").click()
        time.sleep(0.5)
        shoot(browser, "rule-backtest")
        browser.set_window_size(390, 844)
        browser.get(base + "/alerts")
        shoot(browser, "alert-queue-phone", full=False)
    finally:
        browser.quit()
        server.stop()
        shutil.rmtree(server.workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
