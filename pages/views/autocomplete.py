"""Suggestions for the edit forms' pickers, as ``<option>`` lists.

The inputs use native ``<datalist>`` (and a ``<select>`` for columns): htmx
refreshes the options as the user types, the browser does the rest, so the
pickers stay keyboard- and screen-reader-friendly with no JavaScript of ours.
Each endpoint reads the value of the input that asked (its form field name)
or ``q``.
"""

from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from catalog.models import Dashboard, Table, Tag, Team, User
from pages.views.common import signed_in

LIMIT = 20


def term(request, *names) -> str:
    for name in (*names, "q"):
        value = request.GET.get(name, "").strip()
        if value:
            return value[:200]
    return ""


def options(request, pairs, *, blank=None):
    return render(request, "catalog/options.html", {"options": pairs, "blank": blank})


def tag_options(text: str) -> list[tuple[str, str]]:
    tags = Tag.objects.live().select_related("classification").order_by("fqn")
    if text:
        tags = tags.filter(Q(fqn__icontains=text) | Q(display_name__icontains=text))
    return [(t.fqn, t.description[:80] if t.description else t.classification.name) for t in tags[:LIMIT]]


def owner_options(text: str) -> list[tuple[str, str]]:
    users = User.objects.filter(is_active=True).order_by("username")
    teams = Team.objects.live().filter(team_type=Team.TeamType.GROUP).order_by("name")
    if text:
        users = users.filter(Q(username__icontains=text) | Q(display_name__icontains=text))
        teams = teams.filter(Q(name__icontains=text) | Q(display_name__icontains=text))
    found = [(u.username, f"{u.display_name or u.username} · user") for u in users[:LIMIT]]
    found += [(t.name, f"{t.display_name or t.name} · team") for t in teams[:LIMIT]]
    return found[:LIMIT]


def dashboard_options(text: str) -> list[tuple[str, str]]:
    dashboards = Dashboard.objects.live().order_by("fqn")
    if text:
        dashboards = dashboards.filter(Q(fqn__icontains=text) | Q(display_name__icontains=text))
    return [(d.fqn, d.display_name or d.name) for d in dashboards[:LIMIT]]


def table_options(text: str) -> list[tuple[str, str]]:
    tables = Table.objects.live().order_by("fqn")
    if text:
        tables = tables.filter(Q(fqn__icontains=text) | Q(display_name__icontains=text))
    return [(t.fqn, t.display_name or t.name) for t in tables[:LIMIT]]


@signed_in
@require_GET
def tags(request):
    return options(request, tag_options(term(request, "add_tag")))


@signed_in
@require_GET
def owners(request):
    return options(request, owner_options(term(request, "add_owner")))


@signed_in
@require_GET
def dashboards(request):
    return options(request, dashboard_options(term(request, "dashboard")))


@signed_in
@require_GET
def tables(request):
    return options(request, table_options(term(request, "table")))


@signed_in
@require_GET
def columns(request):
    """Return the column choices of one table (by FQN), for the source form's column select."""
    table = Table.objects.live().by_fqn(term(request, "table")).first()
    columns = list(table.columns.all()) if table else []
    pairs = [(str(c.id), f"{c.name} ({c.data_type})") for c in columns]
    return options(request, pairs, blank="Whole table (no column)" if table else "Pick a table first")
