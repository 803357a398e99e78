"""Starting and stopping the servers the benchmark talks to: gunicorn (ModelAtlas) and MLflow's tracking server.

Each server runs in its own process group, started here and stopped here by
that group's id, listening on 127.0.0.1 only.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

from benchmark.measure import HOST, request

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """A child process serving HTTP on 127.0.0.1:port, stopped on exit of the ``with`` block."""

    def __init__(
        self,
        name: str,
        command: list[str],
        port: int,
        *,
        env: dict,
        ready_path: str,
        log: Path,
        ready_timeout: float = 90,
    ):
        self.name, self.command, self.port, self.env = name, command, port, env
        self.ready_path, self.log, self.ready_timeout = ready_path, log, ready_timeout
        self.process = None

    def __enter__(self):
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                self.command, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start (code {self.process.returncode}); see {self.log}")
            try:
                if request(self.port, "GET", self.ready_path, timeout=5).status < 500:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(
            f"{self.name} did not answer on {HOST}:{self.port} within {self.ready_timeout:.0f} s; see {self.log}"
        )

    def __exit__(self, *exc):
        self.stop()
        return False

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        group = os.getpgid(self.process.pid)
        os.killpg(group, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(group, signal.SIGKILL)
            self.process.wait(timeout=10)


def app_environment() -> dict:
    """The environment of a production-like ModelAtlas: DEBUG off, query counting on, this same database."""
    env = dict(os.environ)
    env.update(
        DEBUG="False",
        BENCHMARK_QUERY_COUNT="1",
        # The benchmark signs its session in with this process's key: the server must share it.
        SECRET_KEY=settings.SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="ERROR",
        # Its one token asks faster than any client should: the limit stays on (its query is measured), out of reach.
        API_RATE_LIMIT_USER="1000000/min",
    )
    return env


def collect_static(env: dict) -> None:
    """DEBUG=False serves hashed static files from a manifest, which collectstatic writes."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=BASE_DIR, env=env, check=True
    )


def gunicorn(port: int, workers: int, log: Path) -> Server:
    env = app_environment()
    collect_static(env)
    # The production settings (config/gunicorn.py: preloading, garbage collection between requests),
    # with the benchmark's own address, worker count and patience.
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        str(BASE_DIR / "config" / "gunicorn.py"),
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    return Server("gunicorn", command, port, env=env, ready_path="/_benchmark/floor", log=log)


def mlflow(executable: Path, port: int, workers: int, store: Path, log: Path) -> Server:
    store.parent.mkdir(parents=True, exist_ok=True)
    artifacts = store.parent / "mlflow-artifacts"
    command = [
        str(executable),
        "server",
        "--backend-store-uri",
        f"sqlite:///{store}",
        "--default-artifact-root",
        artifacts.as_uri(),
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    return Server("mlflow server", command, port, env=env, ready_path="/health", log=log, ready_timeout=180)
