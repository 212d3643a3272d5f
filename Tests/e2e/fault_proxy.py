"""An HTTP proxy on 127.0.0.1 in front of Vigil. For the first `throttle` requests it answers
429 with `Retry-After: 1` itself (Vigil's problem document, without forwarding); for the next
`drop` it forwards the request and throws Vigil's answer away, cutting the connection: the
client cannot know whether its batch was committed (it was), which is exactly when a retry
must not store it twice. Deterministic, unlike a rate limit that a stalled machine refills."""
import http.client
import http.server
import threading

from vigil_harness import free_port


class FaultProxy:
    def __init__(self, upstream_port, drop=0, throttle=0):
        self.upstream_port = upstream_port
        self.drop = drop
        self.throttle = throttle
        self.throttled = 0
        self.forwarded = 0
        self.dropped = 0
        self.lock = threading.Lock()
        self.port = free_port()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def relay(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                with proxy.lock:
                    limited = proxy.throttled < proxy.throttle
                    proxy.throttled += 1 if limited else 0
                if limited:
                    problem = b'{"type":"about:blank","title":"Too Many Requests","status":429,"detail":"Slow down.","code":"too_many_requests"}'
                    self.send_response(429)
                    self.send_header("Content-Type", "application/problem+json")
                    self.send_header("Retry-After", "1")
                    self.send_header("Content-Length", str(len(problem)))
                    self.end_headers()
                    self.wfile.write(problem)
                    return
                upstream = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
                upstream.close()
                with proxy.lock:
                    proxy.forwarded += 1
                    cut = proxy.dropped < proxy.drop
                    proxy.dropped += 1 if cut else 0
                if cut:
                    self.close_connection = True
                    return
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in ("connection", "transfer-encoding", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = relay
            do_POST = relay

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
