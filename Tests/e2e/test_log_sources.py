"""Log sources through the real binary and real senders: util-linux `logger` over UDP and TCP in
both syslog formats, rsyslog forwarding over TCP with TLS, graypy (a GELF client) over UDP and TCP,
junk on the TCP port, and an SSH brute force forwarded as sshd lines raising the built-in alert."""
import logging
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import urllib.parse

import pytest

from vigil_harness import ADMIN_PASSWORD, VigilServer, free_port, login


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require(tool):
    path = shutil.which(tool) or (tool if os.path.exists(tool) else None)
    if path is None:
        pytest.fail(f"{tool} is needed (.ci/run installs it)")
    return path


def make_tls_files(directory):
    """A CA and a server certificate for localhost/127.0.0.1 signed by it (openssl)."""
    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=directory)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=vigil-test-ca",
        "-keyout", "ca.key", "-out", "ca.pem")
    run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr")
    with open(os.path.join(directory, "san.ext"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
        "-extfile", "san.ext", "-out", "server.pem")
    # A sender's certificate from the same CA, and one from a CA Vigil does not trust.
    run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=sender-1", "-keyout", "client.key", "-out", "client.csr")
    run("x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-out", "client.pem")
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=stranger", "-keyout", "stranger.key",
        "-out", "stranger.pem")
    names = ("ca.pem", "server.pem", "server.key", "client.pem", "client.key", "stranger.pem", "stranger.key")
    return {name: os.path.join(directory, name) for name in names}


@pytest.fixture(scope="module")
def listening():
    workdir = tempfile.mkdtemp(prefix="vigil-logsrc-")
    files = make_tls_files(workdir)
    ports = {
        "syslog_udp": free_udp_port(), "syslog_tcp": free_port(), "syslog_tls": free_port(),
        "gelf_udp": free_udp_port(), "gelf_tcp": free_port(),
    }
    env = {f"VIGIL_{name.upper()}": f"127.0.0.1:{port}" for name, port in ports.items()}
    env.update({"VIGIL_SYSLOG_TLS_CERT": files["server.pem"], "VIGIL_SYSLOG_TLS_KEY": files["server.key"],
                "VIGIL_SYSLOG_TLS_CLIENT_CA": files["ca.pem"], "VIGIL_LOG_SOURCE_NETWORKS": "127.0.0.0/8"})
    server = VigilServer(workdir=workdir, env=env).start()
    wait_for_log(server, "listener=gelf-tcp")
    server.ports = ports
    server.files = files
    server.token = login(server.client(), "admin", ADMIN_PASSWORD)
    yield server
    server.stop()
    shutil.rmtree(workdir, ignore_errors=True)


def wait_for_log(server, text, timeout=20):
    deadline = time.time() + timeout
    while text not in server.read_stderr():
        assert time.time() < deadline, server.read_stderr()
        time.sleep(0.05)


def events(server, **query):
    query.setdefault("limit", "1000")
    response = server.client().call("GET", "/api/v1/events?" + urllib.parse.urlencode(query), token=server.token)
    assert response.status == 200, response
    return response.json()["items"]


def wait_for_events(server, count, timeout=15, **query):
    deadline = time.time() + timeout
    while True:
        items = events(server, **query)
        if len(items) >= count or time.time() > deadline:
            return items
        time.sleep(0.05)


def logger(server, transport, port, fmt, tag, message, priority="user.notice", extra=()):
    require("logger")
    subprocess.run(["logger", f"--{transport}", "-n", "127.0.0.1", "-P", str(port), f"--{fmt}", "-t", tag, "-p", priority,
                    *extra, message], check=True, timeout=10)


def test_logger_over_udp_and_tcp_in_both_formats(listening):
    cases = [("udp", "syslog_udp", "rfc3164"), ("udp", "syslog_udp", "rfc5424"), ("tcp", "syslog_tcp", "rfc3164"),
             ("tcp", "syslog_tcp", "rfc5424")]
    for transport, port, fmt in cases:
        logger(listening, transport, listening.ports[port], fmt, "billing", f"invoice run {transport} {fmt}", "local3.warning")
    logger(listening, "tcp", listening.ports["syslog_tcp"], "rfc5424", "billing", "invoice run octet counted", "local3.err",
           extra=["--octet-count", "--msgid", "RUN", "--sd-id", "origin@32473", "--sd-param", 'ip="10.1.2.3"'])
    items = wait_for_events(listening, 5, source="billing")
    by_text = {item["description"]: item for item in items}
    assert set(by_text) == {f"invoice run {t} {f}" for t, _, f in cases} | {"invoice run octet counted"}, items
    for (transport, _, fmt) in cases:
        item = by_text[f"invoice run {transport} {fmt}"]
        assert item["type"] == "syslog.message" and item["severity"] == "medium", item
        assert item["ingested_by"] == f"listener:syslog-{transport}"
        assert item["details"]["log.syslog.facility.name"] == "local3"
        assert item["details"]["log.source.address"].startswith("127.0.0.1:")
    counted = by_text["invoice run octet counted"]
    assert counted["severity"] == "high" and counted["details"]["log.syslog.msgid"] == "RUN"
    assert counted["details"]["log.syslog.structured_data"]["origin@32473"] == {"ip": "10.1.2.3"}
    # The details filters take the listener's ECS names.
    assert [i["description"] for i in events(listening, **{"details.log.syslog.msgid": "RUN"})] == ["invoice run octet counted"]


def test_five_sshd_failures_raise_one_brute_force_alert(listening):
    for attempt in range(5):
        logger(listening, "udp", listening.ports["syslog_udp"], "rfc3164", "sshd",
               f"Failed password for root from 198.51.100.77 port {40000 + attempt} ssh2", "auth.info")
    failed = wait_for_events(listening, 5, type="auth.login.failed", ip="198.51.100.77")
    assert len(failed) == 5 and {e["actor"] for e in failed} == {"root"}, failed
    client = listening.client()
    deadline = time.time() + 10
    while True:
        alerts = client.call("GET", "/api/v1/alerts?q=Brute", token=listening.token).json()["items"]
        alerts = [a for a in alerts if a["group_key"] == "ip=198.51.100.77"]
        if alerts or time.time() > deadline:
            break
        time.sleep(0.05)
    assert len(alerts) == 1 and alerts[0]["count"] == 5 and alerts[0]["severity"] == "high", alerts


def test_rsyslog_forwards_over_tls(listening):
    rsyslogd = require("/usr/sbin/rsyslogd")
    workdir = tempfile.mkdtemp(prefix="vigil-rsyslog-")
    inbound = free_port()
    config = f"""
global(workDirectory="{workdir}" DefaultNetstreamDriverCAFile="{listening.files['ca.pem']}"
       DefaultNetstreamDriverCertFile="{listening.files['client.pem']}" DefaultNetstreamDriverKeyFile="{listening.files['client.key']}")
module(load="imtcp")
input(type="imtcp" address="127.0.0.1" port="{inbound}")
action(type="omfwd" target="127.0.0.1" port="{listening.ports['syslog_tls']}" protocol="tcp" StreamDriver="gtls"
       StreamDriverMode="1" StreamDriverAuthMode="x509/name" StreamDriverPermittedPeers="localhost"
       TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format")
"""
    with open(os.path.join(workdir, "rsyslog.conf"), "w") as f:
        f.write(config)
    proc = subprocess.Popen([rsyslogd, "-n", "-f", os.path.join(workdir, "rsyslog.conf"), "-i", os.path.join(workdir, "pid")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", inbound), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None and time.time() < deadline, proc.stdout.read().decode() if proc.poll() is not None else "rsyslog not listening"
                time.sleep(0.1)
        logger(listening, "tcp", inbound, "rfc5424", "sudo", "alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id",
               "authpriv.notice")
        items = wait_for_events(listening, 1, type="privilege.sudo")
        assert len(items) == 1, items
        assert items[0]["ingested_by"] == "listener:syslog-tls" and items[0]["actor"] == "alice", items
        assert items[0]["details"]["user.target.name"] == "root" and items[0]["details"]["process.command_line"] == "/usr/bin/id"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)
    # Plain TCP to the TLS port, a sender without a certificate and one whose certificate another
    # CA signed: none is stored; the same client with the sender certificate is.
    with socket.create_connection(("127.0.0.1", listening.ports["syslog_tls"]), timeout=5) as plain:
        plain.sendall(b"<13>tlscheck: plain\n")
    for name, cert in (("no certificate", None), ("stranger", "stranger"), ("trusted", "client")):
        context = ssl.create_default_context(cafile=listening.files["ca.pem"])
        if cert:
            context.load_cert_chain(listening.files[f"{cert}.pem"], listening.files[f"{cert}.key"])
        try:
            with socket.create_connection(("127.0.0.1", listening.ports["syslog_tls"]), timeout=5) as raw:
                with context.wrap_socket(raw, server_hostname="localhost") as tls:
                    tls.sendall(f"<13>tlscheck: {name}\n".encode())
                    tls.settimeout(1)
                    tls.recv(1)  # TLS 1.3 reports a refused client certificate on the first read
        except (ssl.SSLError, ConnectionResetError, BrokenPipeError, socket.timeout):
            pass
    stored = wait_for_events(listening, 1, source="tlscheck")
    time.sleep(0.5)
    stored = events(listening, source="tlscheck")
    assert [e["description"] for e in stored] == ["trusted"], stored


def test_graypy_sends_gelf_over_udp_and_tcp(listening):
    try:
        import graypy
    except ImportError:
        pytest.fail("graypy is needed (.ci/run installs it)")
    log = logging.getLogger("vigil-e2e-gelf")
    log.setLevel(logging.INFO)
    log.propagate = False
    # zlib-compressed (graypy's default) and, at 1,420 bytes a chunk, chunked.
    udp = graypy.GELFUDPHandler("127.0.0.1", listening.ports["gelf_udp"], gelf_chunker=graypy.handler.GELFWarningChunker(chunk_size=1420))
    tcp = graypy.GELFTCPHandler("127.0.0.1", listening.ports["gelf_tcp"])
    try:
        log.addHandler(udp)
        log.warning("payment failed", extra={"order_id": 4711, "padding": os.urandom(3000).hex()})
        log.removeHandler(udp)
        log.addHandler(tcp)
        log.error("payment gateway down")
    finally:
        log.removeHandler(tcp)
        tcp.close()
        udp.close()
    items = wait_for_events(listening, 2, type="gelf.message")
    by_text = {item["description"]: item for item in items}
    assert set(by_text) == {"payment failed", "payment gateway down"}, items
    assert by_text["payment failed"]["ingested_by"] == "listener:gelf-udp" and by_text["payment failed"]["severity"] == "medium"
    assert by_text["payment failed"]["details"]["gelf.order_id"] == 4711
    assert by_text["payment gateway down"]["ingested_by"] == "listener:gelf-tcp" and by_text["payment gateway down"]["severity"] == "high"


def test_junk_on_the_tcp_port_does_not_stop_later_messages(listening):
    port = listening.ports["syslog_tcp"]
    junk = bytes((i * 7919) % 251 for i in range(20000)).replace(b"\n", b"") + b"\n" + b"9" * 40 + b" \n"
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(junk)
        sock.sendall(b"<13>junkcheck: same connection after junk\n")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(os.urandom(70000))
    logger(listening, "tcp", port, "rfc5424", "junkcheck", "new connection after junk")
    items = wait_for_events(listening, 2, source="junkcheck")
    assert {i["description"] for i in items} == {"same connection after junk", "new connection after junk"}, items
    metrics = listening.client().call("GET", "/metrics", token=listening.token).body.decode()
    rejected = [line for line in metrics.splitlines() if line.startswith('vigil_log_messages_rejected_total{listener="syslog-tcp"')]
    assert sum(float(line.split()[-1]) for line in rejected) >= 2, rejected
    # The server is still ready and answering.
    assert listening.client().call("GET", "/readyz").status == 200


def test_a_graceful_stop_commits_what_was_read_and_does_not_wait_for_idle_senders():
    port = free_port()
    server = VigilServer(env={"VIGIL_SYSLOG_TCP": f"127.0.0.1:{port}"}).start()
    try:
        wait_for_log(server, "listener=syslog-tcp")
        idle = socket.create_connection(("127.0.0.1", port), timeout=5)
        busy = socket.create_connection(("127.0.0.1", port), timeout=5)
        busy.sendall(b"".join(b"<13>stopcheck: message %d\n" % i for i in range(900)))
        time.sleep(0.5)
        started = time.time()
        assert server.terminate(timeout=30) == 0, server.read_stderr()
        assert time.time() - started < 15, "an idle sender held the stop"
        idle.close()
        busy.close()
        server.start()
        server.token = login(server.client(), "admin", ADMIN_PASSWORD)
        stored = events(server, source="stopcheck")
        assert len(stored) == 900 and len({e["description"] for e in stored}) == 900
    finally:
        server.stop()
        shutil.rmtree(server.workdir, ignore_errors=True)
