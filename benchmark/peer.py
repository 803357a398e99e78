"""MLflow's model registry as the peer: the same models registered, the same questions asked.

MLflow (an optional benchmark dependency, requirements-bench.txt) runs from
its own virtualenv so its pins never touch the app's. Its tracking server
keeps registered models in SQLite, as a team trying it out would run it.
"""

import json
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
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
    return {"name": name, "description": description,
            "tags": [{"key": "algorithm", "value": algorithm}, {"key": "source", "value": "modelatlas-benchmark"}]}


def create_one(port: int, body: dict) -> bool:
    response = request(port, "POST", f"{API}/create", body=json.dumps(body).encode(), headers=JSON)
    return response.status == 200 or b"RESOURCE_ALREADY_EXISTS" in response.body


def fill(port: int, models: list[dict], marker: Path, progress) -> int:
    """Register every model not yet registered (a marker remembers a completed fill); return how many are there."""
    wanted = {"count": len(models), "first": models[0]["name"] if models else "", "last": models[-1]["name"]
              if models else ""}
    if marker.exists() and json.loads(marker.read_text()) == wanted:
        progress(f"MLflow already holds the {len(models):,} models (marker {marker.name})")
        return len(models)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = sum(pool.map(lambda body: create_one(port, body), models, chunksize=50))
    progress(f"registered {done:,} of {len(models):,} models in MLflow in {time.monotonic() - started:.0f} s")
    if done == len(models):
        marker.write_text(json.dumps(wanted))
    return done


def create_throughput(port: int, label: str, count: int, make_body, method: str, path: str, headers: dict,
                      cleanup=None) -> Throughput:
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


def mlflow_figures(port: int, search_term: str, get_name: str, *, requests: int, warmup: int) -> dict:
    """Time MLflow's list, name search and get by name the way ModelAtlas is timed."""
    figures = {}
    plans = {
        "list": ("Search, first page of 100", f"{API}/search?max_results=100"),
        "search": (f"Name search “{search_term}”", f"{API}/search?" + urllib.parse.urlencode(
            {"filter": f"name LIKE '%{search_term}%'", "max_results": 100})),
        "get": ("Get by name", f"{API}/get?" + urllib.parse.urlencode({"name": get_name})),
    }
    for key, (label, path) in plans.items():
        figures[key] = measure(Figure(f"mlflow_{key}", label), port, lambda i, p=path: ("GET", p, None, {}),
                               requests=requests, warmup=warmup, budget_s=60)
    return figures
