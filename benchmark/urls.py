"""The app's routes plus the benchmark's floor: a view that does nothing.

Used as ROOT_URLCONF only when BENCHMARK_QUERY_COUNT=1, so the floor never
exists on a normal server. Timing it through the same server and middleware
as the real pages says how much of each figure is the stack itself.
"""

from django.http import HttpResponse
from django.urls import path

from config import urls as app_urls


def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("_benchmark/floor", floor, name="benchmark_floor"), *app_urls.urlpatterns]

# Keep the app's own error pages, if it defines any.
for _name in ("handler400", "handler403", "handler404", "handler500"):
    if hasattr(app_urls, _name):
        globals()[_name] = getattr(app_urls, _name)
