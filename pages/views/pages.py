"""The home page and the pages of everything a model is built from or belongs to.

Tables (with their columns), columns, dashboards, users, teams, tags and
services, each with a list page. Every page loads its related rows with
select/prefetch, so its query count does not grow with the catalogue.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from catalog.models import (
    Classification,
    Column,
    Dashboard,
    DashboardService,
    DatabaseService,
    FeatureSource,
    MlFeature,
    MlModel,
    MlModelService,
    Table,
    Tag,
    Team,
    User,
)
from pages.views.common import is_partial, paginate, query_without_page, signed_in

RECENT_COUNT = 8
#: How many rows a related list on an entity page shows; the rest is counted.
LIST_LIMIT = 50
#: How many features a table page lists per column (the column page lists them all).
USES_PER_COLUMN = 5


@dataclass
class Limited:
    """The first rows of a related list and how many there are in all."""

    items: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def limited(queryset, limit: int = LIST_LIMIT) -> Limited:
    """Return at most ``limit`` rows; count the rest only when there are more (a popular tag, a busy table)."""
    items = list(queryset[:limit])
    return Limited(items, len(items) if len(items) < limit else queryset.count())


def models_owned_by(user) -> Q:
    """Return a condition for models a user owns, directly or through one of their teams."""
    direct = MlModel.owner_users.through.objects.filter(user=user).values("mlmodel_id")
    via_team = MlModel.owner_teams.through.objects.filter(team__users=user).values("mlmodel_id")
    return Q(pk__in=direct) | Q(pk__in=via_team)


def model_cards(queryset):
    """Return models with what a model card shows (service, owners, tags)."""
    return queryset.select_related("service").prefetch_related("owner_users", "owner_teams", "tags")


@signed_in
@require_GET
def home(request):
    """A search box, the size of the catalogue, what changed lately, and the user's own models."""
    live = MlModel.objects.live()
    followed = MlModel.followers.through.objects.filter(user=request.user).values("mlmodel_id")
    context = {
        "counts": [
            ("ML models", live.count(), "explore"),
            ("Features", MlFeature.objects.filter(model__deleted=False).count(), "explore"),
            ("Tables", Table.objects.live().count(), "table_list"),
            ("Dashboards", Dashboard.objects.live().count(), "dashboard_list"),
            ("People and teams", User.objects.filter(is_active=True).count() + Team.objects.live().count(), "people"),
            ("Tags", Tag.objects.live().count(), "tag_list"),
        ],
        "recent": model_cards(live.order_by("-updated_at", "name"))[:RECENT_COUNT],
        "mine": model_cards(live.filter(models_owned_by(request.user) | Q(pk__in=followed)).order_by("name"))[:20],
    }
    return render(request, "catalog/home.html", context)


def list_page(request, template, queryset, search_fields, **extra):
    """Render a searchable, paginated list; htmx gets only the results."""
    term = request.GET.get("q", "").strip()[:200]
    if term:
        condition = Q()
        for field in search_fields:
            condition |= Q(**{f"{field}__icontains": term})
        queryset = queryset.filter(condition)
    context = {"term": term, "page": paginate(request, queryset), "page_query": query_without_page(request), **extra}
    return render(request, f"{template}#results" if is_partial(request) else template, context)


# --- Tables and columns -------------------------------------------------------------------------------


@signed_in
@require_GET
def table_list(request):
    tables = (
        Table.objects.live()
        .select_related("schema__database__service")
        .prefetch_related("tags")
        .annotate(column_count=Count("columns"))
        .order_by("name", "id")
    )
    return list_page(request, "catalog/table_list.html", tables, ["name", "display_name", "description", "fqn"])


def sources_with_models():
    return FeatureSource.objects.select_related("feature__model").filter(feature__model__deleted=False)


@signed_in
@require_GET
def table_detail(request, pk):
    """A table: its columns with their tags, and which features and models read each column.

    A busy table feeds thousands of features: each column lists its first
    few (its own page lists them all) and the models are counted past a page.
    """
    live_uses = Q(feature_sources__feature__model__deleted=False)
    columns = Column.objects.annotate(use_count=Count("feature_sources", filter=live_uses)).prefetch_related("tags")
    table = get_object_or_404(
        Table.objects.select_related("schema__database__service").prefetch_related(
            "owner_users", "owner_teams", "tags", Prefetch("columns", queryset=columns)
        ),
        pk=pk,
    )
    # The first few readers of every column, in one query (numbered per column).
    first_uses = (
        sources_with_models()
        .filter(column__table=table)
        .annotate(rank=Window(RowNumber(), partition_by=F("column_id"), order_by=[F("feature__model__name"), F("id")]))
        .filter(rank__lte=USES_PER_COLUMN)
    )
    uses = {}
    for source in first_uses:
        uses.setdefault(source.column_id, []).append(source)
    for column in table.columns.all():
        column.first_uses = uses.get(column.pk, [])
    # The readers' ids first: as a subquery, PostgreSQL walked every model in name order probing each
    # for a source in this table (66-145 ms for a table a thousand models read); by id, it fetches them.
    readers = list(
        FeatureSource.objects.filter(table=table).order_by().values_list("feature__model_id", flat=True).distinct()
    )
    context = {
        "table": table,
        "owners": table.owners(),
        "columns": list(table.columns.all()),
        "table_level_sources": limited(sources_with_models().filter(table=table, column__isnull=True)),
        "models": limited(MlModel.objects.live().filter(pk__in=readers).order_by("name", "id")),
        "uses_per_column": USES_PER_COLUMN,
    }
    return render(request, "catalog/table_detail.html", context)


@signed_in
@require_GET
def column_detail(request, pk):
    column = get_object_or_404(
        Column.objects.select_related("table__schema__database__service").prefetch_related("tags"), pk=pk
    )
    sources = sources_with_models().filter(column=column).order_by("feature__model__name", "feature__name", "id")
    context = {"column": column, "page": paginate(request, sources), "page_query": query_without_page(request)}
    return render(request, "catalog/column_detail.html", context)


# --- Dashboards ---------------------------------------------------------------------------------------


@signed_in
@require_GET
def dashboard_list(request):
    dashboards = Dashboard.objects.live().select_related("service").prefetch_related("tags").order_by("name", "id")
    return list_page(request, "catalog/dashboard_list.html", dashboards, ["name", "display_name", "description", "fqn"])


@signed_in
@require_GET
def dashboard_detail(request, pk):
    dashboard = get_object_or_404(
        Dashboard.objects.select_related("service").prefetch_related("owner_users", "owner_teams", "tags"), pk=pk
    )
    models = model_cards(MlModel.objects.live().filter(dashboard=dashboard)).order_by("name", "id")
    context = {"dashboard": dashboard, "owners": dashboard.owners(), "models": limited(models)}
    return render(request, "catalog/dashboard_detail.html", context)


# --- People -------------------------------------------------------------------------------------------


@signed_in
@require_GET
def people(request):
    """Users and teams; the search box filters both."""
    term = request.GET.get("q", "").strip()[:200]
    users = User.objects.filter(is_active=True).order_by("username")
    teams = Team.objects.live().annotate(member_count=Count("users")).order_by("name")
    if term:
        users = users.filter(Q(username__icontains=term) | Q(display_name__icontains=term) | Q(email__icontains=term))
        teams = teams.filter(Q(name__icontains=term) | Q(display_name__icontains=term))
    context = {
        "term": term,
        "users": paginate(request, users),
        "teams": list(teams[:100]),
        "page_query": query_without_page(request),
    }
    template = "catalog/people.html#results" if is_partial(request) else "catalog/people.html"
    return render(request, template, context)


@signed_in
@require_GET
def user_detail(request, pk):
    """A person: their teams, what they own (directly or through a team) and what they follow."""
    person = get_object_or_404(User.objects.prefetch_related("teams"), pk=pk)
    followed = MlModel.followers.through.objects.filter(user=person).values("mlmodel_id")
    context = {
        "person": person,
        "teams": list(person.teams.all()),
        "owned_models": limited(model_cards(MlModel.objects.live().filter(models_owned_by(person))).order_by("name")),
        "followed_models": limited(MlModel.objects.live().filter(pk__in=followed).order_by("name")),
        "owned_tables": limited(person.owned_tables.filter(deleted=False).order_by("name")),
        "owned_dashboards": limited(person.owned_dashboards.filter(deleted=False).order_by("name")),
    }
    return render(request, "catalog/user_detail.html", context)


@signed_in
@require_GET
def team_detail(request, pk):
    team = get_object_or_404(Team.objects.prefetch_related("users"), pk=pk)
    owned = MlModel.owner_teams.through.objects.filter(team=team).values("mlmodel_id")
    context = {
        "team": team,
        "members": list(team.users.all()),
        "owned_models": limited(model_cards(MlModel.objects.live().filter(pk__in=owned)).order_by("name")),
        "owned_tables": limited(team.owned_tables.filter(deleted=False).order_by("name")),
        "owned_dashboards": limited(team.owned_dashboards.filter(deleted=False).order_by("name")),
    }
    return render(request, "catalog/team_detail.html", context)


# --- Tags ---------------------------------------------------------------------------------------------


@signed_in
@require_GET
def tag_list(request):
    tags = Tag.objects.live().annotate(model_count=Count("mlmodels", filter=Q(mlmodels__deleted=False)))
    classifications = Classification.objects.live().prefetch_related(Prefetch("tags", queryset=tags.order_by("name")))
    return render(request, "catalog/tag_list.html", {"classifications": list(classifications.order_by("name"))})


@signed_in
@require_GET
def tag_detail(request, pk):
    """A tag and everything that carries it."""
    tag = get_object_or_404(Tag.objects.select_related("classification"), pk=pk)
    context = {
        "tag": tag,
        "models": limited(model_cards(tag.mlmodels.filter(deleted=False)).order_by("name", "id")),
        "features": limited(tag.mlfeatures.filter(model__deleted=False).select_related("model").order_by("name", "id")),
        "sources": limited(
            tag.feature_sources.filter(feature__model__deleted=False).select_related("feature__model").order_by("id")
        ),
        "tables": limited(tag.tables.filter(deleted=False).order_by("name", "id")),
        "columns": limited(tag.columns.filter(table__deleted=False).select_related("table").order_by("name", "id")),
        "dashboards": limited(tag.dashboards.filter(deleted=False).order_by("name", "id")),
    }
    return render(request, "catalog/tag_detail.html", context)


# --- Services -----------------------------------------------------------------------------------------


@signed_in
@require_GET
def service_list(request):
    context = {
        "groups": [
            (
                "ML model services",
                MlModelService.objects.live().annotate(n=Count("mlmodels")).order_by("name"),
                "models",
            ),
            (
                "Database services",
                DatabaseService.objects.live().annotate(n=Count("databases")).order_by("name"),
                "databases",
            ),
            (
                "Dashboard services",
                DashboardService.objects.live().annotate(n=Count("dashboards")).order_by("name"),
                "dashboards",
            ),
        ]
    }
    return render(request, "catalog/service_list.html", context)


@signed_in
@require_GET
def service_detail(request, pk):
    """A service of any kind, with what it holds; the id tells which kind it is."""
    service = (
        MlModelService.objects.filter(pk=pk).first()
        or DatabaseService.objects.filter(pk=pk).first()
        or DashboardService.objects.filter(pk=pk).first()
    )
    if service is None:
        raise Http404("No such service.")
    context = {
        "service": service,
        "kind": service.entity_type,
        "connection": service.connection,
        "page_query": query_without_page(request),
    }
    # A service can hold thousands of models, tables or dashboards: they are paged.
    if isinstance(service, MlModelService):
        contents = model_cards(service.mlmodels.filter(deleted=False)).order_by("name", "id")
    elif isinstance(service, DatabaseService):
        contents = (
            Table.objects.live()
            .filter(schema__database__service=service)
            .select_related("schema__database")
            .annotate(column_count=Count("columns"))
            .order_by("schema__database__name", "schema__name", "name", "id")
        )
    else:
        contents = service.dashboards.filter(deleted=False).order_by("name", "id")
    context["page"] = paginate(request, contents)
    return render(request, "catalog/service_detail.html", context)
