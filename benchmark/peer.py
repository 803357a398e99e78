"""MLflow's model registry as the peer: the same models registered, the same questions asked.

MLflow (an optional benchmark dependency, requirements-bench.txt) runs from
its own virtualenv so its pins never touch the app's. Its tracking server
keeps registered models in SQLite, as a team trying it out would run it.
"""

import json
import sqlite3
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from benchmark.measure import Figure, measure, request

API = "/api/2.0/mlflow/registered-models"
JSON = {"Content-Type": "application/json"}


@dataclass
class Throughput:
    label: str
    count: int = 0
    seconds: float = 0.0
    failures: int = 0
    status: str = "ok"

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


def mlflow_model(name: str, description: str, algorithm: str) -> dict:
    return {
        "name": name,
        "description": description,
        "tags": [{"key": "algorithm", "value": algorithm}, {"key": "source", "value": "modelatlas-benchmark"}],
    }


def create_one(port: int, body: dict) -> bool:
    response = request(port, "POST", f"{API}/create", body=json.dumps(body).encode(), headers=JSON)
    return response.status == 200 or b"RESOURCE_ALREADY_EXISTS" in response.body


def fill(port: int, models: list[dict], store: Path, progress, *, through_api: int = 50) -> int:
    """Make MLflow hold exactly the registered models of ``models``; return how many it holds.

    The first ``through_api`` go through the REST API; the rest are copies of
    the rows those created (the same columns, other names, descriptions and
    tags), inserted in one SQLite transaction: the same rows MLflow would
    have written, in seconds instead of the quarter of an hour 10,000 REST
    creates take here. Create throughput is measured through REST separately.
    """
    with sqlite3.connect(store) as db:
        held = {row[0] for row in db.execute("SELECT name FROM registered_models")}
    missing = [m for m in models if m["name"] not in held]
    if not missing:
        progress(f"MLflow already holds the {len(models):,} models")
        return len(models)
    started = time.monotonic()
    head, rest = missing[:through_api], missing[through_api:]
    created = [m for m in head if create_one(port, m)]
    if rest:
        if not created:
            raise RuntimeError("MLflow refused every registered model created through its API")
        _insert_like(store, created[0]["name"], rest)
    with sqlite3.connect(store) as db:
        held = {row[0] for row in db.execute("SELECT name FROM registered_models")}
    count = sum(1 for m in models if m["name"] in held)
    progress(
        f"MLflow holds {count:,} of {len(models):,} models ({len(created)} created through REST, "
        f"{len(rest):,} copied in SQLite) after {time.monotonic() - started:.0f} s"
    )
    return count


def _insert_like(store: Path, template_name: str, models: list[dict]) -> None:
    """Insert ``models`` as copies of the rows MLflow wrote for ``template_name``."""
    with sqlite3.connect(store) as db:
        db.row_factory = sqlite3.Row
        model_row = dict(db.execute("SELECT * FROM registered_models WHERE name = ?", (template_name,)).fetchone())
        tag_row = dict(
            db.execute("SELECT * FROM registered_model_tags WHERE name = ? LIMIT 1", (template_name,)).fetchone()
        )
        now = model_row["creation_time"]
        model_columns, tag_columns = list(model_row), list(tag_row)
        db.executemany(
            f"INSERT INTO registered_models ({', '.join(model_columns)}) VALUES ({', '.join('?' * len(model_columns))})",
            (
                [
                    {
                        **model_row,
                        "name": m["name"],
                        "description": m["description"],
                        "creation_time": now + i,
                        "last_updated_time": now + i,
                    }[c]
                    for c in model_columns
                ]
                for i, m in enumerate(models)
            ),
        )
        db.executemany(
            f"INSERT INTO registered_model_tags ({', '.join(tag_columns)}) VALUES ({', '.join('?' * len(tag_columns))})",
            (
                [{**tag_row, "name": m["name"], "key": tag["key"], "value": tag["value"]}[c] for c in tag_columns]
                for m in models
                for tag in m["tags"]
            ),
        )


def create_throughput(
    port: int, label: str, count: int, make_body, method: str, path: str, headers: dict, cleanup=None
) -> Throughput:
    """Create ``count`` new models one after the other; the figure is models per second."""
    result = Throughput(label)
    created = []
    started = time.monotonic()
    for i in range(count):
        response = request(port, method, path, body=json.dumps(make_body(i)).encode(), headers=headers)
        if response.status in (200, 201):
            result.count += 1
            created.append(response)
        else:
            result.failures += 1
            if result.failures == 1:
                result.status = f"error: HTTP {response.status}: {response.body[:160].decode('utf-8', 'replace')}"
    result.seconds = time.monotonic() - started
    if cleanup is not None:
        for i, response in enumerate(created):
            cleanup(i, response)
    if result.count == 0 and result.status == "ok":
        result.status = "error: nothing created"
    return result


def page_paths(port: int, path: str, pages: int) -> list[str]:
    """Return ``path`` for each of the first ``pages`` pages MLflow serves, following its page tokens."""
    paths, token = [path], None
    while len(paths) < pages:
        response = request(port, "GET", paths[-1])
        token = json.loads(response.body).get("next_page_token") if response.status == 200 else None
        if not token:
            break
        paths.append(f"{path}&" + urllib.parse.urlencode({"page_token": token}))
    return paths


def mlflow_figures(port: int, search_term: str, get_name: str, *, requests: int, warmup: int) -> dict:
    """Time MLflow's list, name search and get by name the way ModelAtlas is timed.

    List and search are timed twice: the same page again and again, and
    another page each time (its page token collected first, untimed), as
    ModelAtlas's judged rows ask for a page no cache has seen.
    """
    figures = {}
    search = f"{API}/search?" + urllib.parse.urlencode({"filter": f"name LIKE '%{search_term}%'", "max_results": 100})
    listing = f"{API}/search?max_results=100"
    plans = {
        "list": ("Search, first page of 100", [listing]),
        "list_pages": ("Search, another page of 100 each time", page_paths(port, listing, warmup + requests)),
        "search": (f"Name search “{search_term}”", [search]),
        "search_pages": (
            f"Name search “{search_term}”, another page each time",
            page_paths(port, search, warmup + requests),
        ),
        "get": ("Get by name", [f"{API}/get?" + urllib.parse.urlencode({"name": get_name})]),
    }
    for key, (label, paths) in plans.items():
        figures[key] = measure(
            Figure(f"mlflow_{key}", label),
            port,
            lambda i, p=paths: ("GET", p[i % len(p)], None, {}),
            requests=requests,
            warmup=warmup,
            budget_s=60,
        )
    return figures
