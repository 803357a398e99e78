"""What every page view shares: sign-in, edit permission, partial rendering, paging."""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

from catalog import representations
from catalog.models import MlModel
from catalog.permissions import can_edit

PAGE_SIZE = 20


def is_partial(request) -> bool:
    """Return whether to answer with a fragment: an htmx request that is not boosted.

    A boosted navigation replaces the whole body, and so does htmx restoring
    a page from history (back button) when its cache misses: both need the
    full page.
    """
    return bool(request.htmx) and not request.htmx.boosted and not request.htmx.history_restore_request


def signed_in(view):
    """Let only signed-in users through; send the others to the sign-in page.

    An htmx request from a signed-out browser (an expired session) would get
    the login page swapped into a fragment, so it is told to reload the whole
    page at the sign-in URL instead.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        next_url = request.get_full_path()
        if request.htmx:
            current = request.htmx.current_url or ""
            if current and url_has_allowed_host_and_scheme(current, allowed_hosts={request.get_host()}):
                parts = urlsplit(current)
                next_url = parts.path + (f"?{parts.query}" if parts.query else "")
            login = redirect_to_login(next_url, resolve_url(settings.LOGIN_URL))
            return HttpResponseClientRedirect(login["Location"])
        return redirect_to_login(next_url, resolve_url(settings.LOGIN_URL))

    return wrapper


def get_model(pk) -> MlModel:
    """Return a model with everything its page shows, its many small rows as plain lists.

    The model is read as the write path and the API read it
    (``representations.represented``: ``features_list``, and each feature's
    ``tags_list`` and ``sources_list``), so the page's snapshot of the current
    version comes free; the columns its sources read get their tags as
    ``tags_list`` too. Lists, not prefetched querysets, which Django clones
    once per row: 20 features with 2 sources each would cost about 150 clones.
    """
    model = get_object_or_404(representations.represented(MlModel), pk=pk)
    columns = [source.column for feature in model.features_list for source in feature.sources_list if source.column_id]
    prefetch_related_objects(columns, Prefetch("tags", to_attr="tags_list"))
    return model


def get_editable_model(request, pk) -> MlModel:
    """Return the model if the signed-in user may edit it; 403 otherwise.

    A deleted model is read-only for everybody until it is restored.
    """
    model = get_model(pk)
    if model.deleted or not can_edit(request.user, model):
        raise PermissionDenied("You cannot edit this model.")
    return model


def paginate(request, queryset, per_page=PAGE_SIZE):
    """Return the requested page; an out-of-range or malformed number gives the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """Return the query string minus ``page``, for building pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
