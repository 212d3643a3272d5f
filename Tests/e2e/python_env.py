"""A virtual environment with `pip install ./clients/python` and Django from PyPI: what an
app's deployment does. It uses the oldest Python the client supports (3.9) when the machine
has one, so the promise `requires-python >= 3.9` is tested, not assumed."""
import glob
import os
import shutil
import subprocess
import sys

from vigil_harness import ROOT

CLIENT = os.path.join(ROOT, "clients", "python")
DEMO = os.path.join(ROOT, "Tests", "e2e", "django_demo")


def oldest_python():
    """VIGIL_E2E_CLIENT_PYTHON if set; else a Python 3.9 interpreter if this machine has one,
    else the one running the suite."""
    if os.environ.get("VIGIL_E2E_CLIENT_PYTHON"):
        return os.environ["VIGIL_E2E_CLIENT_PYTHON"]
    candidates = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.9*/bin/python3")))
    candidates += [shutil.which("python3.9")]
    for candidate in candidates:
        # pyenv's shims exist on PATH whether or not they can run: ask the interpreter itself.
        if candidate and subprocess.run([candidate, "-c", "import sys; assert sys.version_info[:2] == (3, 9)"], capture_output=True).returncode == 0:
            return candidate
    return sys.executable


class PythonEnv:
    def __init__(self, directory):
        self.directory = directory
        self.base = oldest_python()
        self.python = os.path.join(directory, "bin", "python")

    def create(self):
        subprocess.run([self.base, "-m", "venv", self.directory], check=True, timeout=300)
        # setuptools builds in the source tree; a stale build/ could put removed files in the wheel.
        shutil.rmtree(os.path.join(CLIENT, "build"), ignore_errors=True)
        pip = [self.python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        # A real install from the source tree (not a path on sys.path), as the README says.
        subprocess.run(pip + [CLIENT, "django>=4.2,<6"], check=True, timeout=600)
        return self

    def version(self):
        out = subprocess.run([self.python, "-c", "import sys, django; print(sys.version.split()[0], django.get_version())"], capture_output=True, text=True, check=True)
        return out.stdout.strip()

    def run(self, args, env=None, timeout=120, cwd=None):
        return subprocess.run([self.python, *args], env=env, capture_output=True, text=True, timeout=timeout, cwd=cwd)
