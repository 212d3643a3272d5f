"""Compliance export and statistics through the real binary, on SQLite and PostgreSQL: CSV that
Python's csv module reads back exactly, formula injection neutralised, filters honoured, an
export cut short by the client still audited, and statistics equal to counts made here."""
import collections
import csv
import io
import json
import socket
import time
import uuid

import pytest

from test_postgres_cluster import start_nodes, stop_nodes
from vigil_harness import ADMIN_PASSWORD, VigilServer, login

TRICKY = [
    'quote " inside, and a comma',
    "two\nlines\r\nand CRLF",
    "unicode: Grüße, 東京, emoji \U0001F510",
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\tstarts with a tab",
    "\rstarts with CR",
    "plain",
]


@pytest.fixture(params=["sqlite", "postgres"])
def vigil(request):
    """(client, admin token) on a fresh server of each engine."""
    if request.param == "sqlite":
        server = VigilServer().start()
        try:
            yield server, server.client(), login(server.client(), "admin", ADMIN_PASSWORD)
        finally:
            server.stop()
    else:
        pg_cluster = request.getfixturevalue("pg_cluster")
        _, nodes = start_nodes(pg_cluster, 1)
        try:
            yield nodes[0], nodes[0].client(), login(nodes[0].client(), "admin", ADMIN_PASSWORD)
        finally:
            stop_nodes(nodes)


def ingest(client, token, events):
    for start in range(0, len(events), 1000):
        response = client.call("POST", "/api/v1/events/batch", events[start:start + 1000], token=token)
        assert response.status == 201, response


def export(client, token, query):
    response = client.call("GET", f"/api/v1/events/export?{query}", token=token)
    assert response.status == 200, response
    return response


def listed(client, token, query):
    """Every event of GET /api/v1/events for `query`, oldest first."""
    items, cursor = [], None
    while True:
        page = client.call("GET", f"/api/v1/events?limit=1000&order=asc&{query}" + (f"&cursor={cursor}" if cursor else ""), token=token)
        assert page.status == 200, page
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if not cursor:
            return items


def test_csv_round_trips_through_pythons_csv_module_with_filters(vigil):
    _, client, token = vigil
    tag = f"e2e-{uuid.uuid4().hex[:8]}"
    events = [
        {"type": "doc.edit", "source": tag, "actor": text if i % 2 else f"user-{i}", "description": text,
         "severity": ["info", "high"][i % 2], "ip": f"198.51.100.{i + 1}", "location": "Zürich, CH",
         "details": {"note": text, "n": i}}
        for i, text in enumerate(TRICKY)
    ] + [{"type": "other.type", "source": tag, "description": "filtered out by type"}]
    ingest(client, token, events)

    for query in [f"source={tag}&type=doc.edit", f"source={tag}&severity=high", f"source={tag}&q=unicode"]:
        expected = listed(client, token, query)
        assert expected, query
        as_ndjson = export(client, token, f"format=ndjson&{query}")
        assert as_ndjson.headers.get("content-type") == "application/x-ndjson"
        lines = as_ndjson.body.decode().split("\n")
        assert lines[-1] == ""
        # NDJSON: each line is the event exactly as the API returns it.
        assert [json.loads(line) for line in lines[:-1]] == expected

        as_csv = export(client, token, f"format=csv&{query}")
        assert as_csv.headers.get("content-type").startswith("text/csv")
        disposition = as_csv.headers.get("content-disposition")
        assert disposition.startswith('attachment; filename="vigil-events-') and disposition.endswith('.csv"'), disposition
        rows = list(csv.DictReader(io.StringIO(as_csv.body.decode("utf-8"), newline="")))
        assert len(rows) == len(expected)
        for row, event in zip(rows, expected):
            for field in ["id", "type", "occurred_at", "received_at", "severity", "outcome", "actor", "entity_type", "entity_id",
                          "source", "ip", "location", "description", "ingested_by"]:
                value = event[field]
                cell = row[field]
                if value is None:
                    assert cell == "", (field, cell)
                elif value[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    # Neutralised for spreadsheets: a leading apostrophe, the text intact after it.
                    assert cell == "'" + value, (field, cell)
                else:
                    assert cell == value, (field, cell, value)
            assert json.loads(row["details"]) == event["details"]


def test_an_export_cut_short_by_the_client_is_audited_with_the_rows_sent(vigil):
    _, client, token = vigil
    tag = f"bulk-{uuid.uuid4().hex[:8]}"
    ingest(client, token, [{"type": "bulk.event", "source": tag, "description": "x" * 200, "details": {"i": i}}
                           for i in range(30000)])
    # A raw socket: read the headers and a little of the body, then hang up.
    sock = socket.create_connection(("127.0.0.1", client.port), timeout=30)
    sock.sendall(f"GET /api/v1/events/export?format=ndjson&source={tag} HTTP/1.1\r\nHost: x\r\n"
                 f"Authorization: Bearer {token}\r\n\r\n".encode())
    received = b""
    while len(received) < 64 * 1024:
        received += sock.recv(16 * 1024)
    assert received.startswith(b"HTTP/1.1 200")
    sock.close()

    deadline = time.time() + 20
    audit = []
    while time.time() < deadline and not audit:
        audit = [e for e in listed(client, token, "type=events.exported") if e["details"]["filters"].get("source") == tag]
        time.sleep(0.2)
    assert len(audit) == 1, audit
    details = audit[0]["details"]
    assert details["completed"] is False and audit[0]["outcome"] == "failure"
    assert 0 < details["rows"] < 30000, details
    assert details["format"] == "ndjson" and details["filters"] == {"source": tag}

    # A complete export is recorded with every row.
    complete = export(client, token, f"format=csv&source={tag}")
    assert complete.body.count(b"\r\n") == 30001
    deadline = time.time() + 10
    while time.time() < deadline:
        done = [e for e in listed(client, token, "type=events.exported") if e["details"]["completed"]]
        if done:
            break
        time.sleep(0.2)
    assert [(e["details"]["rows"], e["outcome"]) for e in done] == [(30000, "success")]


def test_stats_equal_counts_made_from_the_exported_events(vigil):
    server, client, token = vigil
    tag = f"stats-{uuid.uuid4().hex[:8]}"
    now = time.time()
    events = []
    for i in range(600):
        at = time.gmtime(now - (i * 997) % (3 * 86400))
        events.append({
            "type": ["auth.login.failed", "file.read", "net.conn"][i % 3],
            "actor": f"user-{i % 7}", "source": tag if i % 4 else None, "ip": f"203.0.113.{i % 11}",
            "severity": ["info", "low", "medium", "high", "critical"][i % 5], "outcome": ["success", "failure", "unknown"][i % 3],
            "occurred_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", at),
        })
    ingest(client, token, [{k: v for k, v in e.items() if v is not None} for e in events])
    time.sleep(2.5)  # let the rollup worker fold most of them (the result is exact either way)

    for query in ["bucket=hour", "bucket=day&top=3", "bucket=minute&type=auth.login.failed", "bucket=hour&source=" + tag]:
        from_ = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 2 * 86400 - 1234))
        stats = client.call("GET", f"/api/v1/stats?from={from_}&{query}", token=token)
        assert stats.status == 200, stats
        body = stats.json()
        filters = "&".join(p for p in query.split("&") if not p.startswith(("bucket", "top")))
        window = f"from={body['from']}&to={body['to']}" + (f"&{filters}" if filters else "")
        rows = [json.loads(line) for line in export(client, token, f"format=ndjson&{window}").body.decode().splitlines()]
        # The export's own start record is committed before it streams, after the statistics.
        started = [r for r in rows if r["type"] == "events.export.started"]
        if started:
            rows.remove(max(started, key=lambda r: r["received_at"]))
        assert body["total"] == len(rows) > 0
        assert body["by_type"] == dict(collections.Counter(r["type"] for r in rows))
        assert body["by_source"] == dict(collections.Counter(r["source"] for r in rows if r["source"]))
        severities = collections.Counter(r["severity"] for r in rows)
        assert body["by_severity"] == {s: severities.get(s, 0) for s in ["info", "low", "medium", "high", "critical"]}
        top = int(dict(p.split("=") for p in query.split("&")).get("top", 10))

        def ranked(counter):
            return [list(x) for x in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0].encode()))[:top]]

        assert [[e["ip"], e["count"]] for e in body["top_ips"]] == ranked(collections.Counter(r["ip"] for r in rows if r["ip"]))
        assert [[e["actor"], e["count"]] for e in body["top_actors"]] == ranked(collections.Counter(r["actor"] for r in rows if r["actor"]))
        failed = [r for r in rows if r["type"] == "auth.login.failed"]
        assert body["failed_logins"]["total"] == len(failed)
        assert [[e["ip"], e["count"]] for e in body["failed_logins"]["top_ips"]] == ranked(collections.Counter(r["ip"] for r in failed if r["ip"]))
        assert sum(b["count"] for b in body["timeline"]) == len(rows)
        assert body["alerts"] is not None and body["alerts"]["open"] >= 1  # the critical events opened alerts
