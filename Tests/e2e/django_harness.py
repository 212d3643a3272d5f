"""The demo Django app (django_demo/) run with `manage.py runserver` from the client's venv,
and a browser-like session for it (cookies, CSRF tokens, X-Forwarded-For)."""
import http.client
import http.cookies
import os
import re
import subprocess
import time
import urllib.parse

from python_env import DEMO
from vigil_harness import free_port

PASSWORDS = {"alice": "alice-password-1", "boss": "boss-password-1"}


class DjangoApp:
    def __init__(self, env, workdir, vigil_url, api_key):
        self.env = env
        self.workdir = workdir
        self.port = free_port()
        self.vars = dict(os.environ, DEMO_DB=os.path.join(workdir, "demo.sqlite3"), VIGIL_URL=vigil_url, VIGIL_API_KEY=api_key, PYTHONDONTWRITEBYTECODE="1")
        self.proc = None
        self.log_path = os.path.join(workdir, "django.log")

    def manage(self, *args):
        result = self.env.run([os.path.join(DEMO, "manage.py"), *args], env=self.vars, cwd=self.workdir)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def prepare(self):
        self.manage("migrate", "--noinput", "-v", "0")
        script = (
            "from django.contrib.auth.models import User\n"
            f"User.objects.create_user('alice', password={PASSWORDS['alice']!r})\n"
            f"User.objects.create_superuser('boss', password={PASSWORDS['boss']!r})\n"
        )
        self.manage("shell", "-c", script)
        return self

    def start(self):
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [self.env.python, os.path.join(DEMO, "manage.py"), "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            env=self.vars, stdout=log, stderr=log, cwd=self.workdir,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            assert self.proc.poll() is None, self.read_log()
            try:
                if self.session().get("/ping/")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("django did not start: " + self.read_log())

    def read_log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)

    def session(self, forwarded_for=None):
        return WebSession(self.port, forwarded_for)


class WebSession:
    """One browser: keeps cookies, sends the CSRF token Django expects."""

    def __init__(self, port, forwarded_for=None):
        self.port = port
        self.forwarded_for = forwarded_for
        self.cookies = {}

    def request(self, method, path, form=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read().decode(errors="replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    for morsel in http.cookies.SimpleCookie(value).values():
                        self.cookies[morsel.key] = morsel.value
            return response.status, data
        finally:
            conn.close()

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, form):
        return self.request("POST", path, form)

    def login(self, username, password):
        """Django's LoginView: fetch the form (CSRF cookie and token), post it. 302 on success."""
        status, page = self.get("/accounts/login/")
        assert status == 200, page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.post("/accounts/login/", {"username": username, "password": password, "csrfmiddlewaretoken": token})[0]
