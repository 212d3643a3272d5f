"""A throwaway PostgreSQL 15 cluster for the end-to-end suite, driven by scripts/pg-cluster.sh."""
import os
import shutil
import subprocess
import tempfile
import uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = os.path.join(ROOT, "scripts", "pg-cluster.sh")
PGBIN = os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin")


def unavailable_reason():
    """Why PostgreSQL tests cannot run here, or None."""
    if os.geteuid() != 0:
        return "needs root to run PostgreSQL as the postgres user"
    if not os.path.exists(os.path.join(PGBIN, "initdb")):
        return f"no PostgreSQL binaries in {PGBIN}"
    if shutil.which("psql") is None:
        return "psql not installed"
    return None


class PostgresCluster:
    def __init__(self):
        self.parent = tempfile.mkdtemp(prefix="vigil-e2e-pg-")
        os.chmod(self.parent, 0o755)
        self.dir = os.path.join(self.parent, "cluster")
        self.admin_url = None

    def _run(self, command):
        return subprocess.run([SCRIPT, command, self.dir], check=True, capture_output=True, text=True, timeout=120).stdout.strip()

    def start(self):
        self.admin_url = self._run("start")
        return self

    def stop(self):
        self._run("stop")

    def kill(self):
        """Immediate shutdown: no checkpoint, clients cut off — like a crash."""
        self._run("kill")

    def restart(self):
        self._run("restart")

    def remove(self):
        subprocess.run([SCRIPT, "remove", self.dir], capture_output=True, timeout=120)
        shutil.rmtree(self.parent, ignore_errors=True)

    def psql(self, sql, database="postgres"):
        url = self.url(database)
        out = subprocess.run(["psql", url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True, text=True, timeout=60)
        return out.stdout.strip()

    def url(self, database):
        base, _, query = self.admin_url.rpartition("/")
        return f"{base}/{database}?{query.split('?', 1)[1]}"

    def create_database(self):
        name = "vigil_e2e_" + uuid.uuid4().hex[:12]
        self.psql(f"CREATE DATABASE {name}")
        return name
