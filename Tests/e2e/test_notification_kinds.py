"""Slack, Telex and email channels through the real binary to real receivers on 127.0.0.1:
a burst of 50 alerts paced to one Slack message a second with every alert accounted for, the
Telex message shape and interval-tick flow, and mail received by a real SMTP server (aiosmtpd)
in plain text, with STARTTLS + AUTH, and over TLS."""
import base64
import email
import email.policy
import json
import re
import shutil
import tempfile
import time

import pytest

from receivers import SMTPReceiver, WebhookReceiver, self_signed_certificate
from vigil_harness import ADMIN_PASSWORD, VigilServer, login

CERT_DIR = tempfile.mkdtemp(prefix="vigil-e2e-tls-")
CERT, KEY = self_signed_certificate(CERT_DIR)


@pytest.fixture(scope="module")
def server():
    # The burst test opens 50 alerts at once: above the default storm limit, which is tested apart.
    srv = VigilServer(env={"VIGIL_NOTIFICATION_TIMEOUT": "5", "VIGIL_SMTP_CA_FILE": CERT,
                           "VIGIL_PUBLIC_URL": "https://vigil.example.org/", "VIGIL_ALERT_STORM_LIMIT": "1000"}).start()
    yield srv
    srv.stop()
    shutil.rmtree(srv.workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def admin(server):
    client = server.client()
    return client, login(client, "admin", ADMIN_PASSWORD)


def create_channel(client, token, body):
    response = client.call("POST", "/api/v1/channels", body, token=token)
    assert response.status == 201, response
    return response.json()


def delete_channel(client, token, channel):
    assert client.call("DELETE", f"/api/v1/channels/{channel['id']}", token=token).status == 204


def critical_events(client, token, count, actor):
    """`count` critical events: each opens an alert of its own (the high-severity rule)."""
    events = [{"type": "ids.alert", "severity": "critical", "actor": f"{actor}-{i}", "description": f"burst {i}"} for i in range(count)]
    response = client.call("POST", "/api/v1/events/batch", events, token=token)
    assert response.status in (200, 201), response


def notifications_in(text):
    """How many notifications one Slack/Telex message accounts for."""
    match = re.search(r"(\d+) alert notifications", text)
    return int(match.group(1)) if match else 1


def test_a_burst_of_50_alerts_reaches_slack_at_most_once_a_second_all_accounted_for(admin):
    client, token = admin
    receiver = WebhookReceiver().start()
    channel = create_channel(client, token, {"name": "slack burst", "kind": "slack", "config": {"url": receiver.url},
                                             "events": ["alert.created"]})
    try:
        assert channel["config"] == {"url_set": True}, channel
        # 50 alerts opened over about three seconds, one by one.
        started = time.time()
        for i in range(50):
            critical_events(client, token, 1, f"burst{i}")
            time.sleep(0.06)
        deadline = time.time() + 60
        while time.time() < deadline:
            received = receiver.wait_for(lambda r: True, timeout=0.2)
            if sum(notifications_in(json.loads(r["body"])["text"]) for r in received) >= 50:
                break
        bodies = [json.loads(r["body"]) for r in received]
        assert sum(notifications_in(b["text"]) for b in bodies) == 50, [b["text"][:80] for b in bodies]
        assert 1 < len(bodies) < 50, "a burst is collapsed into a few summaries"
        assert len(bodies) <= received[-1]["at"] - started + 1
        arrivals = [r["at"] for r in received]
        gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
        assert min(gaps) >= 0.95, gaps
        assert all(len(b["text"]) <= 4000 for b in bodies)
        summary = next(b["text"] for b in bodies if notifications_in(b["text"]) > 1)
        assert re.search(r"\d+ alert notifications: \d+ opened — \d+ critical", summary), summary
        # Every notification was delivered, by the message that carried it.
        deadline = time.time() + 10
        while time.time() < deadline:
            page = client.call("GET", f"/api/v1/deliveries?channel_id={channel['id']}&limit=100", token=token).json()
            if all(item["status"] == "delivered" for item in page["items"]):
                break
            time.sleep(0.1)
        assert len(page["items"]) == 50
        assert all(item["status"] == "delivered" and item["attempts"] == 1 for item in page["items"]), page["items"][0]
    finally:
        delete_channel(client, token, channel)
        receiver.stop()


def test_telex_messages_integration_descriptor_and_tick_digests(admin, server):
    client, token = admin
    receiver = WebhookReceiver().start()
    channel = create_channel(client, token, {"name": "telex", "kind": "telex", "min_severity": "high", "events": ["alert.created"],
                                             "config": {"url": receiver.url, "channel_id": "01telex-chan"}})
    try:
        descriptor = client.call("GET", "/integration.json").json()["data"]
        assert descriptor["integration_type"] == "interval"
        assert descriptor["integration_category"] == "Security & Compliance"
        assert descriptor["descriptions"]["app_name"] == "Vigil"
        assert descriptor["descriptions"]["app_url"] == "https://vigil.example.org"
        assert descriptor["tick_url"] == "https://vigil.example.org/api/v1/integrations/telex/tick"
        assert {s["label"] for s in descriptor["settings"]} == {"interval", "min_severity"}
        assert client.call("GET", "/logo.svg").status == 200

        critical_events(client, token, 1, "telex")
        received = receiver.wait_for(lambda r: len(r) >= 1)
        message = json.loads(received[0]["body"])
        assert set(message) == {"event_name", "message", "status", "username"}
        assert message["status"] == "error" and message["username"] == "Vigil"
        assert "[CRITICAL] Alert opened" in message["message"], message

        # Telex ticks: the first digest covers the alerts opened since the channel was made.
        settings = [{"label": "interval", "type": "text", "required": True, "default": "*/5 * * * *"},
                    {"label": "min_severity", "type": "dropdown", "required": True, "default": "critical"}]
        tick = {"channel_id": "01telex-chan", "return_url": f"http://127.0.0.1:{receiver.port}/return/01telex-chan", "settings": settings}
        answer = client.call("POST", "/api/v1/integrations/telex/tick", tick)
        assert answer.status == 202, answer
        received = receiver.wait_for(lambda r: len(r) >= 2)
        digest = json.loads(received[1]["body"])
        assert digest["event_name"] == "Vigil alert digest", digest
        assert digest["message"].startswith("1 alert opened since"), digest
        # Nothing new since: no digest. One new alert: a digest of exactly that one.
        assert client.call("POST", "/api/v1/integrations/telex/tick", tick).status == 202
        time.sleep(1.5)
        assert len(receiver.received) == 2
        critical_events(client, token, 1, "telex-second")
        receiver.wait_for(lambda r: len(r) >= 3)
        assert client.call("POST", "/api/v1/integrations/telex/tick", tick).status == 202
        received = receiver.wait_for(lambda r: len(r) >= 4)
        digests = [json.loads(r["body"]) for r in received if json.loads(r["body"])["event_name"] == "Vigil alert digest"]
        assert len(digests) == 2 and digests[1]["message"].startswith("1 alert opened since"), digests
        assert "telex-second" not in digests[0]["message"]

        # Ticks cannot send digests anywhere else, nor for channels nobody linked.
        elsewhere = dict(tick, return_url="http://127.0.0.1:9/steal")
        assert client.call("POST", "/api/v1/integrations/telex/tick", elsewhere).json()["errors"][0]["field"] == "return_url"
        unknown = client.call("POST", "/api/v1/integrations/telex/tick", dict(tick, channel_id="nobody"))
        assert unknown.status == 404 and unknown.headers["content-type"].startswith("application/problem+json")
        assert client.call("POST", "/api/v1/integrations/telex/tick", {"channel_id": 5}).status == 400
    finally:
        delete_channel(client, token, channel)
        receiver.stop()


@pytest.mark.parametrize("security", ["none", "starttls", "tls"])
def test_email_reaches_a_real_smtp_server(admin, security):
    client, token = admin
    credentials = None if security == "none" else ("vigil", "mail-pass-1")
    smtp = SMTPReceiver(security=security, cert=CERT, key=KEY, credentials=credentials).start()
    config = {"host": "127.0.0.1", "port": smtp.port, "security": security, "from": "vigil@example.org",
              "to": ["soc@example.org", "oncall@example.org"]}
    if credentials:
        config.update(username=credentials[0], password=credentials[1])
    channel = create_channel(client, token, {"name": f"mail {security}", "kind": "email", "config": config,
                                             "events": ["alert.created"], "min_severity": "high"})
    try:
        assert "password" not in channel["config"]
        ip = {"none": "203.0.113.71", "starttls": "203.0.113.72", "tls": "203.0.113.73"}[security]
        for _ in range(5):
            assert client.call("POST", "/api/v1/events", {"type": "auth.login.failed", "ip": ip, "actor": "mallory"}, token=token).status == 201
        messages = smtp.wait_for(1)
        assert len(messages) == 1, smtp.messages
        received = messages[0]
        assert received["from"] == "vigil@example.org"
        assert received["to"] == ["soc@example.org", "oncall@example.org"]
        assert received["tls"] == (security != "none")
        if credentials:
            assert smtp.auth_logins == [("PLAIN", "vigil")]
        mail = email.message_from_bytes(received["data"], policy=email.policy.default)
        assert mail["Subject"].startswith("[Vigil] [HIGH] Alert opened: ")
        assert mail.get_content_type() == "multipart/alternative"
        text = mail.get_body(("plain",)).get_content()
        html = mail.get_body(("html",)).get_content()
        for body in (text, html):
            assert "Brute-force login" in body
            assert ip in body
            assert "Attempts" in body and "5" in body
            assert "Recommended actions" in body
            assert "Evidence" in body
        assert text.count("auth.login.failed") >= 5 or text.count(ip) >= 5, text
        assert "<li>" in html and "&lt;" not in mail["Subject"]
        # The attempt is recorded once the server has said goodbye.
        deadline = time.time() + 10
        while time.time() < deadline:
            item = client.call("GET", f"/api/v1/deliveries?channel_id={channel['id']}", token=token).json()["items"][0]
            if item["status"] != "delivering":
                break
            time.sleep(0.1)
        assert item["status"] == "delivered" and item["history"][0]["status_code"] == 250, item
    finally:
        delete_channel(client, token, channel)
        smtp.stop()


def test_a_wrong_smtp_password_is_a_failed_attempt_with_the_servers_code(admin):
    client, token = admin
    smtp = SMTPReceiver(security="starttls", cert=CERT, key=KEY, credentials=("vigil", "right")).start()
    channel = create_channel(client, token, {"name": "mail wrong pass", "kind": "email", "config": {
        "host": "127.0.0.1", "port": smtp.port, "security": "starttls", "username": "vigil", "password": "wrong",
        "from": "vigil@example.org", "to": ["soc@example.org"]}})
    try:
        answer = client.call("POST", f"/api/v1/channels/{channel['id']}/test", token=token).json()
        assert answer["delivered"] is False and answer["status_code"] == 535, answer
        assert answer["error"] == "SMTP 535 after AUTH", answer
        assert smtp.messages == []
    finally:
        delete_channel(client, token, channel)
        smtp.stop()
