"""Timing HTTP requests against a local server: latency percentiles and SQL queries per request.

Every loop here is bounded by a number of requests and by a time budget, and
only ever talks to 127.0.0.1.
"""

import http.client
import math
import statistics
import time
from dataclasses import dataclass, field

HOST = "127.0.0.1"
NOT_AVAILABLE = "n/a (not available)"


@dataclass
class Response:
    status: int
    ms: float
    queries: int | None
    body: bytes
    headers: dict


def request(
    port: int, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None, timeout: float = 60
) -> Response:
    """Send one request on a new connection (gunicorn's sync workers close it after each response anyway)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        content = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        queries = response.getheader("X-Query-Count")
        return Response(
            response.status,
            elapsed,
            int(queries) if queries is not None else None,
            content,
            {k.lower(): v for k, v in response.getheaders()},
        )
    finally:
        connection.close()


def percentile(samples: list[float], share: float) -> float:
    """Return the nearest-rank percentile (``share`` in 0..1) of ``samples``."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Figure:
    """What one scenario measured (or why it could not be measured)."""

    key: str
    label: str
    target_ms: float | None = None
    samples: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    status: str = "ok"
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok" and bool(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 0.95)

    @property
    def query_text(self) -> str:
        if not self.queries:
            return "–"
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}–{high}"

    @property
    def meets_target(self) -> bool | None:
        if not self.ok or self.target_ms is None:
            return None
        return self.p95 <= self.target_ms

    def as_dict(self) -> dict:
        out = {
            "key": self.key,
            "label": self.label,
            "status": self.status,
            "target_ms": self.target_ms,
            "note": self.note,
        }
        if self.ok:
            out.update(
                requests=len(self.samples),
                median_ms=round(self.median, 2),
                p95_ms=round(self.p95, 2),
                queries=self.query_text,
            )
        return out


def measure(
    figure: Figure,
    port: int,
    make_request,
    *,
    requests: int,
    warmup: int,
    budget_s: float,
    expect=(200,),
    timeout_s: float = 30,
) -> Figure:
    """Time ``requests`` calls of ``make_request(i) -> (method, path, body, headers)`` after ``warmup`` untimed ones.

    A 404 on the first call means the page or endpoint does not exist (yet):
    the figure says "n/a (not available)". Any other unexpected status stops
    the scenario with an error naming it.
    """
    deadline = time.monotonic() + budget_s
    for i in range(warmup + requests):
        if i >= warmup and time.monotonic() > deadline and len(figure.samples) >= 5:
            figure.note = (figure.note + "; " if figure.note else "") + f"time budget: {len(figure.samples)} requests"
            break
        method, path, body, headers = make_request(i)
        try:
            response = request(port, method, path, body=body, headers=headers, timeout=timeout_s)
        except OSError as exc:  # a timeout, or the server dropped the connection
            figure.status = f"error: {type(exc).__name__} after {timeout_s:.0f} s for {method} {path}"
            figure.samples.clear()
            return figure
        if response.status not in expect:
            if response.status == 404 and i == 0:
                figure.status = NOT_AVAILABLE
            else:
                snippet = response.body[:200].decode("utf-8", "replace").replace("\n", " ")
                figure.status = f"error: HTTP {response.status} for {method} {path}: {snippet}"
            figure.samples.clear()
            return figure
        if i >= warmup:
            figure.samples.append(response.ms)
            if response.queries is not None:
                figure.queries.append(response.queries)
    return figure
