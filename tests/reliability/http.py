"""Plain HTTP calls from many threads at once, against a real server (live_server or gunicorn)."""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


def call(base_url, method, path, *, token=None, body=None, content_type="application/json", headers=(), timeout=30):
    """Send one request; every status (4xx, 5xx too) comes back as an :class:`Answer`."""
    sent = {"Authorization": f"Bearer {token}"} if token else {}
    sent.update(headers)
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        sent["Content-Type"] = content_type
    request = urllib.request.Request(base_url + path, data=data, method=method, headers=sent)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), error.read())


def at_once(requests):
    """Run the calls (functions of no argument) in one thread each, released together; return their answers."""
    start = threading.Barrier(len(requests))

    def run(request):
        start.wait()
        return request()

    with ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(run, requests))
