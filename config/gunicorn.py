"""How ModelAtlas is served: gunicorn's settings, for production and for ``manage.py benchmark``.

Run it as ``.venv/bin/gunicorn -c config/gunicorn.py`` (command-line options such as ``--bind`` or
``--workers`` override what is set here).

Garbage collection is the reason this file exists. Python's cyclic collector walks every tracked
object of the process on a full (generation 2) collection, and a Django worker holds ~115,000 of
them once it has served a page: on this 2-core machine one full collection took 35-80 ms, and it
fell inside roughly one request in thirteen, which doubled the p95 latency of the model page (and
of the API PUT) on a quiet machine. So:

* the app is imported once in the master (``preload_app``) and everything it holds is frozen
  before the workers fork: the collector never walks those objects again, and the forked workers
  keep sharing their memory pages instead of copying them when the collector touches them;
* each worker also freezes what its first requests leave behind for good (compiled templates,
  URL patterns, the connection), then
* runs a full collection after each response is sent, when it costs ~1.5 ms and delays nobody,
  which also resets the collector's counters so that no full collection starts in the middle of
  a request. The cheap young-generation collections still run during requests, as usual, so memory
  stays bounded.
"""

import gc
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
#: Sync workers, one request each at a time; gunicorn's rule of thumb for a database-bound app.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
preload_app = True

#: Requests after which a worker's long-lived objects are frozen (see the module docstring).
WARM_UP_REQUESTS = 20


def pre_fork(server, worker):
    """Freeze the preloaded app in the master, just before it forks a worker."""
    gc.collect()
    gc.freeze()


def post_request(worker, req, environ, resp):
    """Collect this request's garbage now that its response is out; freeze what survives the first ones."""
    gc.collect()
    if worker.nr <= WARM_UP_REQUESTS:
        gc.freeze()
