"""The tamper-evident log end to end, on SQLite and PostgreSQL: an independent Python verifier
checks the checkpoints and every inclusion and consistency proof the real server gives, and
`vigil verify` names rows changed, deleted, inserted and reordered directly in the database."""
import base64
import json
import os
import shutil
import sqlite3
import time
import uuid

import pytest

from ledger_verifier import leaf_hash, verify_checkpoint, verify_consistency, verify_inclusion
from vigil_harness import ADMIN_PASSWORD, VigilServer, login

FAST = {"VIGIL_LEDGER_SEAL_INTERVAL": "200"}


def wait_head(client, token, size, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        head = client.call("GET", "/api/v1/ledger/head", token=token).json()
        if head["tree_size"] >= size:
            return head
        time.sleep(0.1)
    raise AssertionError(f"the ledger did not reach {size} leaves: {head}")


def ingest(client, token, count, tag):
    body = [{"type": f"ledger.{tag}", "description": f"{tag} {i}", "details": {"n": i}} for i in range(count)]
    r = client.call("POST", "/api/v1/events/batch", body, token=token)
    assert r.status in (200, 201), r
    return r.json()["ids"]


def check_proofs(server):
    """Ingests in two rounds and checks, with the Python verifier only, the head checkpoint,
    each event's inclusion proof and the consistency of the first head with the second."""
    c = server.client()
    token = login(c, "admin", ADMIN_PASSWORD)
    first_ids = ingest(c, token, 10, "a")
    old = wait_head(c, token, 11)
    ids = first_ids + ingest(c, token, 25, "b")
    head = wait_head(c, token, old["tree_size"] + 25)
    keys = c.call("GET", "/api/v1/ledger/keys", token=token).json()
    assert len(keys) == 1 and keys[0]["retired_at"] is None
    name, public_key = keys[0]["name"], base64.b64decode(keys[0]["public_key"])
    origin, size, root = verify_checkpoint(head["checkpoint"], name, public_key)
    assert (origin, size, base64.b64encode(root).decode()) == ("vigil", head["tree_size"], head["root_hash"])
    _, old_size, old_root = verify_checkpoint(old["checkpoint"], name, public_key)
    tampered = head["checkpoint"].replace(f"\n{size}\n", f"\n{size + 1}\n")
    assert verify_checkpoint(tampered, name, public_key) is None
    for event_id in ids:
        raw = c.call("GET", f"/api/v1/events/{event_id}", token=token).body
        proof = c.call("GET", f"/api/v1/events/{event_id}/proof", token=token).json()
        _, proof_size, proof_root = verify_checkpoint(proof["checkpoint"], name, public_key)
        path = [base64.b64decode(h) for h in proof["inclusion_path"]]
        assert verify_inclusion(leaf_hash(raw), proof["leaf_index"], proof_size, path, proof_root), event_id
        assert not verify_inclusion(leaf_hash(raw + b" "), proof["leaf_index"], proof_size, path, proof_root)
    r = c.call("GET", f"/api/v1/ledger/consistency?from={old_size}&to={size}", token=token).json()
    path = [base64.b64decode(h) for h in r["consistency_path"]]
    assert verify_consistency(old_size, size, old_root, root, path)
    assert not verify_consistency(old_size, size, leaf_hash(b"forged"), root, path)
    check_bundle(server, c, token, name, public_key, set(ids))
    return token, ids, keys[0]["verifier_key"]


def check_bundle(server, c, token, name, public_key, ids):
    """A verifiable export checked line by line by the Python verifier, then by `vigil verify
    --export`, which also names a line edited afterwards."""
    r = c.call("GET", "/api/v1/events/export?format=ndjson&proofs=true&type=ledger.*", token=token)
    assert r.status == 200, r
    lines = r.body.decode().splitlines()
    header = json.loads(lines[0])
    _, size, root = verify_checkpoint(header["checkpoint"], name, public_key)
    proven = set()
    for line in lines[1:]:
        item = json.loads(line)
        raw = line[line.index(',"event":') + len(',"event":'):-1].encode()
        assert json.loads(raw) == item["event"]
        path = [base64.b64decode(h) for h in item["inclusion_path"]]
        assert verify_inclusion(leaf_hash(raw), item["leaf_index"], size, path, root)
        proven.add(item["event"]["id"])
    assert proven == ids
    bundle = os.path.join(server.workdir, "bundle.ndjson")
    with open(bundle, "wb") as f:
        f.write(r.body)
    result = server.run_cli("verify", "--export", bundle)
    assert result.returncode == 0 and f"{len(ids)} events proven" in result.stdout, result
    with open(bundle, "w") as f:
        f.write("\n".join([lines[0], lines[1].replace("ledger.a", "ledger.z")] + lines[2:]) + "\n")
    result = server.run_cli("verify", "--export", bundle)
    assert result.returncode == 1 and "line 2" in result.stdout, result


def verify(server, *args):
    r = server.run_cli("verify", "--database-url", server.database_url, *args)
    return r.returncode, r.stdout + r.stderr


def test_sqlite_proofs_verify_independently_and_verify_names_each_change():
    server = VigilServer(env=FAST).start()
    try:
        _, ids, verifier_key = check_proofs(server)
        server.stop()
        code, out = verify(server, "--key", verifier_key)
        assert code == 0 and "ok" in out, out
        victim = ids[4]
        changes = {
            "modified": f"UPDATE events SET description = 'edited' WHERE id = '{victim}'",
            "deleted": f"DELETE FROM events WHERE id = '{victim}'",
            "reordered": f"UPDATE events SET seq = (SELECT max(seq) + 1 FROM events) WHERE id = '{victim}'",
            "inserted": "INSERT INTO events (seq, id, type, occurred_at, received_at, severity, outcome, details, ingested_by, content_hash) "
            f"SELECT 0, '{uuid.uuid4()}', type, occurred_at, received_at, severity, outcome, details, ingested_by, content_hash FROM events LIMIT 1",
        }
        original = server.db + ".orig"
        shutil.copy(server.db, original)
        def restore():
            # A change leaves its write-ahead log beside the file; it must not outlive the copy.
            for suffix in ("-wal", "-shm"):
                if os.path.exists(server.db + suffix):
                    os.remove(server.db + suffix)
            shutil.copy(original, server.db)

        for kind, sql in changes.items():
            restore()
            db = sqlite3.connect(server.db)
            db.execute(sql)
            db.commit()
            db.close()
            code, out = verify(server, "--key", verifier_key)
            assert code == 1 and f"{kind}: event" in out, (kind, out)
            if kind != "inserted":
                assert victim in out, (kind, out)
        # Someone else's key verifies nothing: exit 2, every checkpoint unsigned.
        restore()
        r = server.run_cli("ledger", "keygen", "--output", server.workdir + "/other.key")
        assert r.returncode == 0, r
        code, out = verify(server, "--key", r.stdout.strip().splitlines()[-1])
        assert code == 2 and "unsigned" in out, out
        code, out = verify(server, "--key", "vigil+00000000+AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        assert code != 0 and "not a verifier key" in out, out
    finally:
        server.stop()
        shutil.rmtree(server.workdir, ignore_errors=True)


def test_postgres_proofs_verify_independently_and_verify_names_each_change(pg_cluster):
    database = pg_cluster.create_database()
    server = VigilServer(database_url=pg_cluster.url(database), env=FAST).start()
    try:
        _, ids, verifier_key = check_proofs(server)
        server.stop()
        code, out = verify(server, "--key", verifier_key)
        assert code == 0 and "ok" in out, out
        victim = ids[4]
        pg_cluster.psql(f"UPDATE events SET description = 'edited' WHERE id = '{victim}'", database)
        code, out = verify(server, "--key", verifier_key)
        assert code == 1 and f"modified: event {victim}" in out, out
        pg_cluster.psql(f"DELETE FROM events WHERE id = '{ids[7]}'", database)
        code, out = verify(server, "--key", verifier_key)
        assert f"deleted: event {ids[7]}" in out and f"modified: event {victim}" in out, out
        pg_cluster.psql(f"UPDATE events SET tx = pg_current_xact_id() WHERE id = '{ids[9]}'", database)
        code, out = verify(server, "--key", verifier_key)
        assert f"reordered: event {ids[9]}" in out, out
        planted = str(uuid.uuid4())
        pg_cluster.psql(
            "WITH src AS (SELECT e FROM events e ORDER BY tx, id LIMIT 1) INSERT INTO events "
            f"SELECT (jsonb_populate_record(src.e, jsonb_build_object('id', '{planted}'))).* FROM src",
            database,
        )
        code, out = verify(server, "--key", verifier_key)
        assert code == 1 and f"inserted: event {planted}" in out, out
    finally:
        server.stop()
        shutil.rmtree(server.workdir, ignore_errors=True)


def retention_keeps_the_proof(make_server):
    """Events of two months ago, then a restart with 30-day retention: they are deleted, the
    record of it is sealed, and everything left — proofs, consistency with the checkpoint from
    before, `vigil verify` — still verifies."""
    server = make_server(FAST)
    c = server.client()
    token = login(c, "admin", ADMIN_PASSWORD)
    old_time = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 60 * 86400))
    body = [{"type": "app.debug", "occurred_at": old_time, "description": f"old {i}"} for i in range(20)]
    old_ids = c.call("POST", "/api/v1/events/batch", body, token=token).json()["ids"]
    new_ids = ingest(c, token, 10, "recent")
    before = wait_head(c, token, 31)  # and the login
    keys = c.call("GET", "/api/v1/ledger/keys", token=token).json()
    name, public_key, verifier_key = keys[0]["name"], base64.b64decode(keys[0]["public_key"]), keys[0]["verifier_key"]
    server.stop()
    server = make_server({**FAST, "VIGIL_RETENTION_DAYS": "30"}, server)
    c = server.client()
    token = login(c, "admin", ADMIN_PASSWORD)
    deadline = time.time() + 30
    while time.time() < deadline:
        records = c.call("GET", "/api/v1/events?type=retention.deleted", token=token).json()["items"]
        if records:
            break
        time.sleep(0.2)
    assert records and records[0]["details"]["deleted"] == 20 and records[0]["details"]["leaf_count"] == 20, records
    assert all(c.call("GET", f"/api/v1/events/{i}", token=token).status == 404 for i in old_ids)
    head = wait_head(c, token, before["tree_size"] + 2)  # the record and the second login
    _, size, root = verify_checkpoint(head["checkpoint"], name, public_key)
    for event_id in new_ids + [records[0]["id"]]:
        raw = c.call("GET", f"/api/v1/events/{event_id}", token=token).body
        proof = c.call("GET", f"/api/v1/events/{event_id}/proof", token=token).json()
        _, proof_size, proof_root = verify_checkpoint(proof["checkpoint"], name, public_key)
        path = [base64.b64decode(h) for h in proof["inclusion_path"]]
        assert verify_inclusion(leaf_hash(raw), proof["leaf_index"], proof_size, path, proof_root), event_id
    _, old_size, old_root = verify_checkpoint(before["checkpoint"], name, public_key)
    r = c.call("GET", f"/api/v1/ledger/consistency?from={old_size}&to={size}", token=token).json()
    assert verify_consistency(old_size, size, old_root, root, [base64.b64decode(h) for h in r["consistency_path"]])
    server.stop()
    code, out = verify(server, "--key", verifier_key)
    assert code == 0 and "20 removed by retention" in out, out
    return server


def test_sqlite_retention_keeps_the_proof():
    def make(env, previous=None):
        return VigilServer(workdir=previous.workdir if previous else None, env=env).start()

    server = retention_keeps_the_proof(make)
    shutil.rmtree(server.workdir, ignore_errors=True)


def test_postgres_retention_keeps_the_proof(pg_cluster):
    url = pg_cluster.url(pg_cluster.create_database())

    def make(env, previous=None):
        return VigilServer(workdir=previous.workdir if previous else None, database_url=url, env=env).start()

    server = retention_keeps_the_proof(make)
    shutil.rmtree(server.workdir, ignore_errors=True)
