"""Load while the database restarts: no bare 500, every 503 says when to retry, no acknowledged write lost.

A throwaway PostgreSQL (scripts/postgres, with its own data directory and port) serves gunicorn
with the production settings (config/gunicorn.py). Client threads read the API and a page and
create ML models while that server is stopped and started again; then every answer is checked.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from benchmark.servers import Server, collect_static, free_port
from catalog.models import MlModel
from tests.reliability.http import call

BASE_DIR = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
CLIENTS = 6
#: Seconds of load before the restart, and after it.
BEFORE, AFTER = 2, 2
KINDS_IN_TURN = ("api", "page", "create")
KINDS = set(KINDS_IN_TURN)

pytestmark = [
    pytest.mark.load,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="restarts a PostgreSQL server under load: part of the PostgreSQL run, not the SQLite one",
    ),
    pytest.mark.skipif(not (PG_BIN / "pg_ctl").exists(), reason=f"no PostgreSQL server binaries in {PG_BIN}"),
]

#: Run against the served database: migrate it, then add an editor with an API token and a browser
#: session, and a service to create models in.
SETUP = """
import json
from django.core.management import call_command
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from catalog.models import ApiToken, MlModelService, User
from catalog.services import changes

call_command("migrate", interactive=False, verbosity=0)
user = User.objects.create_user("loader", password="pw-loader-1", role=User.Role.EDITOR)
session = SessionStore()
session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash()})
session.create()
changes.create(MlModelService(name="models", service_type="Mlflow"), "test")
print(json.dumps({"token": ApiToken.issue(user, "load")[1], "session": session.session_key}))
"""


class Postgres:
    """A PostgreSQL server of its own, in a temporary directory, started and stopped by scripts/postgres."""

    def __init__(self):
        self.home = Path(tempfile.mkdtemp(prefix="modelatlas-load-", dir="/tmp"))
        # As root, scripts/postgres runs the server as the postgres OS user, who must enter this directory.
        self.home.chmod(0o755)
        self.env = {**os.environ, "PGDATA_DIR": str(self.home / "pg"), "PG_PORT": str(free_port())}
        self.url = None

    def run(self, command: str) -> str:
        done = subprocess.run(
            [BASE_DIR / "scripts" / "postgres", command], env=self.env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def restart(self) -> None:
        self.run("stop")
        self.run("start")

    def remove(self) -> None:
        subprocess.run([BASE_DIR / "scripts" / "postgres", "stop"], env=self.env, capture_output=True, timeout=60)
        shutil.rmtree(self.home, ignore_errors=True)


@pytest.fixture
def postgres():
    server = Postgres()
    try:
        server.run("start")
        server.url = server.run("url")
        yield server
    finally:
        server.remove()


@pytest.fixture
def site(postgres, tmp_path):
    """gunicorn with three workers on the throwaway database, migrated, with an editor to act as."""
    env = {
        **os.environ,
        "DATABASE_URL": postgres.url,
        "DEBUG": "False",
        "SECRET_KEY": "load-test-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "ERROR",
        "BENCHMARK_QUERY_COUNT": "False",
    }

    def manage(*args):
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    identity = json.loads(manage("shell", "-c", SETUP).splitlines()[-1])
    if not (BASE_DIR / "staticfiles" / "staticfiles.json").exists():  # scripts/test collects them first
        collect_static(env)
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.py", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "3", "--log-level", "warning"]
    log = tmp_path / "gunicorn.log"
    with Server("gunicorn", command, port, env=env, ready_path="/api/v1/system/version", log=log, ready_timeout=30):
        yield {"base": f"http://127.0.0.1:{port}", "log": log, **identity}


@dataclass
class Result:
    kind: str
    started: float
    status: int | None  # None: no HTTP answer at all
    retry_after: str | None = None
    name: str | None = None


def served_since(results: list, moment: float) -> set:
    """The kinds of request answered successfully that were sent after ``moment``."""
    return {r.kind for r in list(results) if r.started > moment and r.status in (200, 201)}


def load(site, number: int, stop: threading.Event, results: list) -> None:
    """Read the API, read a page and create a model, in turn, until told to stop."""
    api = {"token": site["token"], "timeout": 15}
    page = {"headers": {"Cookie": f"sessionid={site['session']}"}, "timeout": 15}
    turn = 0
    while not stop.is_set():
        turn += 1
        kind, name, started = KINDS_IN_TURN[turn % 3], None, time.monotonic()
        try:
            if kind == "api":
                answer = call(site["base"], "GET", "/api/v1/mlmodels?limit=10", **api)
            elif kind == "page":
                answer = call(site["base"], "GET", "/mlmodels/", **page)
            else:
                name = f"load-{number}-{turn}"
                body = {"name": name, "service": "models", "algorithm": "GLM", "mlFeatures": [{"name": "age"}]}
                answer = call(site["base"], "PUT", "/api/v1/mlmodels", body=body, **api)
        except OSError:
            results.append(Result(kind, started, None, name=name))
            continue
        results.append(Result(kind, started, answer.status, answer.headers.get("Retry-After"), name))


def test_a_database_restart_under_load_answers_503s_and_loses_no_acknowledged_write(postgres, site):
    stop, results = threading.Event(), []
    clients = [threading.Thread(target=load, args=(site, n, stop, results)) for n in range(CLIENTS)]
    for client in clients:
        client.start()
    try:
        time.sleep(BEFORE)
        postgres.restart()
        restarted = time.monotonic()
        time.sleep(AFTER)
        # On a busy machine a page can take a second or more: wait (a bounded while) for one of each.
        deadline = time.monotonic() + 15
        while served_since(results, restarted) != KINDS and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=30)

    log = site["log"].read_text()[-2000:]
    assert [r for r in results if r.status is None] == [], f"requests without an HTTP answer; gunicorn log:\n{log}"
    assert {r.status for r in results} <= {200, 201, 503}, sorted({(r.kind, r.status) for r in results})
    assert all(r.retry_after for r in results if r.status == 503)
    # The restart did fall under the load, and the site was whole again once the database was back.
    assert any(r.status == 503 for r in results)
    assert served_since(results, restarted) == KINDS
    assert [r for r in results if r.started > restarted and r.status == 503] == []

    acknowledged = {r.name for r in results if r.kind == "create" and r.status in (200, 201)}
    with psycopg.connect(postgres.url) as db:
        stored = {name for (name,) in db.execute(f"SELECT name FROM {MlModel._meta.db_table}")}
    assert acknowledged and acknowledged <= stored
