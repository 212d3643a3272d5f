"""The analyst console in a real browser, against the real binary."""
import time
import urllib.parse

from browser_support import new_browser, replaced
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait
from vigil_harness import ADMIN_PASSWORD, login

ANALYST_PASSWORD = "analyst-password-1"


def base(server):
    return f"http://127.0.0.1:{server.port}"


def sign_in(browser, server, username, password):
    browser.get(base(server) + "/")
    browser.find_element(By.ID, "username").send_keys(username)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form[action='/sign-in'] button").click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "form.session")))


def critical_alert(server, token, description="Ransomware note written on fileserver-3"):
    """Ingests one critical event and waits for the built-in rule's alert; returns (alert, event)."""
    client = server.client()
    event = {"type": "malware.detected", "severity": "critical", "actor": "svc-backup", "ip": "198.51.100.23", "description": description}
    r = client.call("POST", "/api/v1/events", event, token=token)
    assert r.status == 201, r
    event_id = r.json()["id"]
    deadline = time.time() + 15
    while time.time() < deadline:
        alerts = client.call("GET", "/api/v1/alerts?severity=critical", token=token).json()["items"]
        for alert in alerts:
            detail = client.call("GET", f"/api/v1/alerts/{alert['id']}", token=token).json()
            if any(item["event_id"] == event_id for item in detail["evidence"]):
                return detail, r.json()
        time.sleep(0.2)
    raise AssertionError("no alert raised for the critical event")


def add_analyst(server, token):
    r = server.client().call("POST", "/api/v1/users", {"username": "ana", "password": ANALYST_PASSWORD, "role": "analyst"}, token=token)
    assert r.status == 201, r


def cookie_header(browser):
    return "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())


def test_sign_in_queue_alert_page_and_acknowledge(server, browser):
    token = login(server.client(), "admin", ADMIN_PASSWORD)
    alert, event = critical_alert(server, token)
    sign_in(browser, server, "admin", ADMIN_PASSWORD)
    assert browser.current_url.endswith("/alerts"), browser.current_url
    link = browser.find_element(By.CSS_SELECTOR, f"a[href='/alerts/{alert['id']}']")
    row = link.find_element(By.XPATH, "./ancestor::tr")
    assert "critical" in row.text and alert["title"] in row.text
    link.click()
    evidence = WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, f"a[href='/events/{event['id']}']")))
    evidence_row = evidence.find_element(By.XPATH, "./ancestor::tr").text
    for expected in ("malware.detected", "svc-backup", "198.51.100.23", "Ransomware note written on fileserver-3"):
        assert expected in evidence_row
    browser.find_element(By.ID, "t-note").send_keys("Looking into it")
    old = browser.find_element(By.ID, "alert-status")
    browser.find_element(By.CSS_SELECTOR, "button[name='status'][value='acknowledged']").click()
    # Wait for the page to be replaced first: reading the old page's status while it is being
    # replaced fails in chromedriver 156 with "does not belong to the document".
    WebDriverWait(browser, 10).until(replaced(old))
    WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element((By.ID, "alert-status"), "acknowledged"))
    assert "Looking into it" in browser.find_element(By.CSS_SELECTOR, ".history").text
    api = server.client().call("GET", f"/api/v1/alerts/{alert['id']}", token=token).json()
    assert api["status"] == "acknowledged"
    assert api["history"][-1]["by"] == "admin" and api["history"][-1]["note"] == "Looking into it"
    # The same code as the API: the change is an alert.updated event in the log.
    audit = server.client().call("GET", f"/api/v1/events?type=alert.updated&entity_id={alert['id']}", token=token).json()["items"]
    assert len(audit) == 1 and audit[0]["actor"] == "admin"


def test_analyst_sees_no_triage_and_forged_posts_change_nothing(server, browser):
    token = login(server.client(), "admin", ADMIN_PASSWORD)
    add_analyst(server, token)
    alert, _ = critical_alert(server, token)
    sign_in(browser, server, "ana", ANALYST_PASSWORD)
    browser.get(base(server) + f"/alerts/{alert['id']}")
    assert browser.find_element(By.TAG_NAME, "h1").text.endswith(alert["title"])
    assert browser.find_elements(By.CSS_SELECTOR, "button[name='status']") == []
    assert "Read-only" in browser.page_source

    # An admin's browser session, and a post that carries its cookies but not its CSRF token
    # (what a forged cross-site form would send if SameSite did not stop the cookies).
    admin = new_browser()
    try:
        sign_in(admin, server, "admin", ADMIN_PASSWORD)
        cookies = cookie_header(admin)
    finally:
        admin.quit()
    client = server.client()
    for form in ("status=resolved", "status=resolved&csrf=forged-token"):
        r = client.call("POST", f"/alerts/{alert['id']}", form, headers={"Cookie": cookies}, content_type="application/x-www-form-urlencoded")
        assert r.status == 403, r
    # The analyst's own session with a valid token: refused by the API's own role check.
    browser.get(base(server) + "/events")
    analyst_csrf = browser.find_element(By.CSS_SELECTOR, "form.session input[name='csrf']").get_attribute("value")
    form = urllib.parse.urlencode({"status": "resolved", "csrf": analyst_csrf})
    r = client.call("POST", f"/alerts/{alert['id']}", form, headers={"Cookie": cookie_header(browser)}, content_type="application/x-www-form-urlencoded")
    assert r.status == 403, r
    api = client.call("GET", f"/api/v1/alerts/{alert['id']}", token=token).json()
    assert api["status"] == "open" and len(api["history"]) == 1
    denied = client.call("GET", "/api/v1/events?type=access.denied", token=token).json()["items"]
    assert len([e for e in denied if e["details"].get("route", "").startswith("/alerts/")]) >= 3


def test_event_search_filters_and_paging(server, browser):
    token = login(server.client(), "admin", ADMIN_PASSWORD)
    batch = [{"type": "vpn.session", "actor": f"user{i:02d}", "ip": "192.0.2.10", "description": f"vpn session {i}"} for i in range(25)]
    batch += [{"type": "vpn.session", "actor": "other", "ip": "192.0.2.99", "description": "elsewhere"} for _ in range(5)]
    assert server.client().call("POST", "/api/v1/events/batch", batch, token=token).status == 201
    sign_in(browser, server, "admin", ADMIN_PASSWORD)
    browser.get(base(server) + "/events")
    browser.find_element(By.ID, "e-type").send_keys("vpn.session")
    browser.find_element(By.ID, "e-ip").send_keys("192.0.2.10")
    browser.find_element(By.ID, "e-limit").send_keys("10")
    old = browser.find_element(By.ID, "event-results")
    browser.find_element(By.CSS_SELECTOR, "form.filter-form button[type='submit']").click()
    WebDriverWait(browser, 10).until(replaced(old))
    seen = []
    for page in range(3):
        rows = browser.find_elements(By.CSS_SELECTOR, "#event-results tbody tr")
        assert len(rows) == (10 if page < 2 else 5), page
        assert all("192.0.2.10" in row.text for row in rows)
        seen += [row.text for row in rows]
        nexts = browser.find_elements(By.CSS_SELECTOR, "a[rel='next']")
        if page < 2:
            old = browser.find_element(By.ID, "event-results")
            nexts[0].click()
            WebDriverWait(browser, 10).until(replaced(old))
        else:
            assert nexts == []
    assert sorted(row.split(" vpn session ")[-1] for row in seen) == sorted(str(i) for i in range(25))
    assert browser.find_element(By.ID, "e-ip").get_attribute("value") == "192.0.2.10"
    export = browser.find_element(By.LINK_TEXT, "CSV").get_attribute("href")
    assert "format=csv" in export and "ip=192.0.2.10" in export


def test_sign_out_ends_the_session(server, browser):
    sign_in(browser, server, "admin", ADMIN_PASSWORD)
    before = cookie_header(browser)
    browser.find_element(By.CSS_SELECTOR, "form.session button").click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "username")))
    browser.get(base(server) + "/alerts")
    assert browser.find_elements(By.ID, "username"), "signed out, /alerts shows the sign-in form"
    # The old cookies are dead too: the refresh token's family was revoked.
    refresh_only = "; ".join(p for p in before.split("; ") if not p.startswith("vigil_access="))
    r = server.client().call("GET", "/alerts", headers={"Cookie": refresh_only})
    assert r.status == 303 and r.headers["location"] == "/", r


def test_failed_sign_ins_are_throttled_and_audited_like_api_logins(server, browser):
    for _ in range(3):
        browser.get(base(server) + "/")
        browser.find_element(By.ID, "username").send_keys("admin")
        browser.find_element(By.ID, "password").send_keys("wrong-password")
        browser.find_element(By.CSS_SELECTOR, "form[action='/sign-in'] button").click()
        failure = WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "[role=alert]")))
        assert "Wrong username or password" in failure.text
    token = login(server.client(), "admin", ADMIN_PASSWORD)
    failed = server.client().call("GET", "/api/v1/events?type=auth.login.failed", token=token).json()["items"]
    assert len(failed) == 3 and all(e["actor"] == "admin" and e["ip"] == "127.0.0.1" for e in failed)


def test_queue_filters_as_a_browser_submits_them(server, browser):
    token = login(server.client(), "admin", ADMIN_PASSWORD)
    critical_alert(server, token)
    r = server.client().call("POST", "/api/v1/events", {"type": "ids.alert", "severity": "high", "actor": "high-one"}, token=token)
    assert r.status == 201
    sign_in(browser, server, "admin", ADMIN_PASSWORD)
    WebDriverWait(browser, 10).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#alert-rows tr .sev")) == 2 or b.refresh())
    browser.find_element(By.CSS_SELECTOR, "details.filters summary").click()
    browser.find_element(By.CSS_SELECTOR, "input[name='severity'][value='critical']").click()
    old = browser.find_element(By.ID, "alert-rows")
    browser.find_element(By.CSS_SELECTOR, "form.filter-form button[type='submit']").click()
    WebDriverWait(browser, 10).until(replaced(old))
    rows = browser.find_elements(By.CSS_SELECTOR, "#alert-rows tr")
    assert len(rows) == 1 and "critical" in rows[0].text, browser.page_source[-2000:]
    assert browser.find_element(By.CSS_SELECTOR, "input[name='severity'][value='critical']").is_selected()
