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
* after each response is sent, a worker collects that request's cyclic garbage, then freezes
  whatever survived: what outlives a request and a full collection is the worker's long-lived
  state (compiled templates, URL patterns, caches, the connection), which would otherwise be
  walked again after every later request. A page type first served late (a worker's first model
  page, say) used to leave ~25,000 such objects unfrozen: 5 ms of collection after every
  request, which the next request waited for. Collecting then costs a fraction of a millisecond
  and no full collection starts in the middle of a request. Young-generation collections still
  run during requests, as usual, so a request's own garbage stays bounded;
* frozen objects are never collected as cycles again, so long-lived state that later becomes
  cyclic garbage would stay: each worker is replaced after ``max_requests`` (from the preloaded
  master, so in milliseconds), which bounds that.
"""

import gc
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
#: Sync workers, one request each at a time; gunicorn's rule of thumb for a database-bound app.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
preload_app = True
#: Replace a worker after this many requests (staggered), releasing whatever it froze.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20_000))
max_requests_jitter = max_requests // 10


def pre_fork(server, worker):
    """Freeze the preloaded app in the master, just before it forks a worker."""
    gc.collect()
    gc.freeze()


def post_request(worker, req, environ, resp):
    """Collect this request's garbage now that its response is out, then freeze what outlived it."""
    gc.collect()
    gc.freeze()
