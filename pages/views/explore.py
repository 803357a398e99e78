"""Explore ML models: text search, facets with counts, sorting and paging.

One URL serves the full page and, for htmx, only the results region (facets
included, since their counts follow the search). Every query below runs once
per request whatever the size of the catalogue.
"""

import operator
from dataclasses import dataclass
from functools import reduce

from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.shortcuts import render
from django.views.decorators.http import require_GET

from catalog import search, sql
from catalog.models import CARD_FIELDS, LifecycleStatus, MlFeature, MlModel, ModelAlias, ModelVersion
from lineage import governance
from pages.views.common import is_partial, paginate, query_without_page, signed_in

#: What a result shows as its title: the display name, or else the name. Sorting
#: by it, case-insensitively, follows the list as read; catalog migration 0003
#: indexes this very expression on PostgreSQL, so the first page is read in order.
TITLE = Lower(Coalesce(NullIf("display_name", Value("")), "name"))
SORTS = {
    "name": ("Name (A–Z)", [TITLE.asc(), "id"]),
    "-name": ("Name (Z–A)", [TITLE.desc(), "-id"]),
    "-updated": ("Recently changed", ["-updated_at", "-id"]),
    "updated": ("Least recently changed", ["updated_at", "id"]),
}
DEFAULT_SORT = "name"
#: How many values each facet lists (selected values are always listed).
FACET_SIZE = 12

OwnerUsers = MlModel.owner_users.through
OwnerTeams = MlModel.owner_teams.through
ModelTags = MlModel.tags.through
#: A card section left empty or holding only whitespace (what ``MlModel.card_missing`` counts as missing).
BLANK = r"^\s*$"


@dataclass
class FacetValue:
    value: str
    label: str
    count: int | None  # None: not counted (too costly until chosen)
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue]


#: Above this many matches the search stays a subquery rather than a list of ids.
MATERIALISE_LIMIT = 10_000


def matching_models(term: str):
    """Return the live models the search matches.

    The search (``catalog.search``) is the expensive part of the page; the
    facet counts and the page all need it, so its result is read once and
    reused as a list of ids.
    """
    live = MlModel.objects.live()
    if not term.strip():
        return live
    ids = search.matching_model_ids(term)
    found = list(ids[: MATERIALISE_LIMIT + 1])
    if len(found) > MATERIALISE_LIMIT:
        return live.filter(pk__in=ids)
    return live.filter(sql.one_of("pk", found, one_parameter=True))


def facet_filter(name: str, values: list[str], exposed=None):
    """Return the condition of one facet: any of its selected values (OR).

    ``exposed`` keeps the models sensitive data reaches (a ``sql.one_of``
    condition), for the governance facet (asked of the lineage app only when
    that facet is chosen).
    """
    if not values:
        return Q()
    if name == "sensitive":
        return exposed if SENSITIVE in values and exposed is not None else Q()
    if name == "service":
        return Q(service__name__in=values)
    if name == "algorithm":
        return Q(algorithm__in=values)
    if name == "tag":
        return Q(pk__in=ModelTags.objects.filter(tag__fqn__in=values).values("mlmodel_id"))
    if name == "production":
        return with_versions(status=LifecycleStatus.PRODUCTION) if PRODUCTION in values else Q()
    if name == "status":
        return with_versions(status__in=values)
    if name == "alias":
        return Q(pk__in=ModelAlias.objects.filter(name__in=values).values("model_id"))
    if name == "card":
        return CARD_INCOMPLETE if INCOMPLETE in values else Q()
    # An owner value names a user or a team.
    return Q(pk__in=OwnerUsers.objects.filter(user__username__in=values).values("mlmodel_id")) | Q(
        pk__in=OwnerTeams.objects.filter(team__name__in=values).values("mlmodel_id")
    )


def with_versions(**conditions) -> Q:
    """The models with at least one model version meeting ``conditions``."""
    return Q(pk__in=ModelVersion.objects.filter(**conditions).values("model_id"))


#: Any section of the model card empty or whitespace only.
CARD_INCOMPLETE = reduce(operator.or_, [Q(**{f"{name}__regex": BLANK}) for name in CARD_FIELDS])

FACETS = {
    "service": "Service",
    "owner": "Owner",
    "tag": "Tag",
    "algorithm": "Algorithm",
    "sensitive": "Governance",
    "production": "In production",
    "status": "Lifecycle status",
    "alias": "Alias",
    "card": "Model card",
}
#: The one value of the governance facet, of the production facet and of the card facet.
SENSITIVE = PRODUCTION = "yes"
INCOMPLETE = "incomplete"


def facet_counts(name: str, models, exposed=None) -> list[tuple[str, str, int | None]]:
    """Return (value, label, count) for one facet over ``models``, most frequent first."""
    if name == "sensitive":
        # Counted only once chosen: the exposure query walks the whole lineage graph.
        count = models.filter(exposed).count() if exposed is not None else None
        return [(SENSITIVE, "Uses sensitive data", count)]
    if name == "production":
        in_production = models.filter(with_versions(status=LifecycleStatus.PRODUCTION)).count()
        return [(PRODUCTION, "Has a production version", in_production)]
    if name == "card":
        return [(INCOMPLETE, "Card incomplete", models.filter(CARD_INCOMPLETE).count())]
    if name == "status":
        # A model counts once per status any of its versions has; listed in lifecycle order.
        rows = (
            ModelVersion.objects.filter(model__in=models.values("pk"))
            .values("status")
            .annotate(n=Count("model_id", distinct=True))
            .order_by()
        )
        counts = {r["status"]: r["n"] for r in rows}
        return [(value, label, counts[value]) for value, label in LifecycleStatus.choices if value in counts]
    if name == "alias":
        rows = (
            ModelAlias.objects.filter(model__in=models.values("pk"))
            .values("name")
            .annotate(n=Count("model_id"))
            .order_by("-n", "name")
        )
        return [(r["name"], r["name"], r["n"]) for r in rows[:FACET_SIZE]]
    if name == "service":
        rows = models.values("service__name").annotate(n=Count("pk")).order_by("-n", "service__name")
        return [(r["service__name"], r["service__name"], r["n"]) for r in rows[:FACET_SIZE]]
    if name == "algorithm":
        rows = models.values("algorithm").annotate(n=Count("pk")).order_by("-n", "algorithm")
        return [(r["algorithm"], r["algorithm"], r["n"]) for r in rows[:FACET_SIZE]]
    if name == "tag":
        rows = (
            ModelTags.objects.filter(mlmodel__in=models.values("pk"))
            .values("tag__fqn")
            .annotate(n=Count("mlmodel_id"))
            .order_by("-n", "tag__fqn")
        )
        return [(r["tag__fqn"], r["tag__fqn"], r["n"]) for r in rows[:FACET_SIZE]]
    users = (
        OwnerUsers.objects.filter(mlmodel__in=models.values("pk"))
        .values("user__username", "user__display_name")
        .annotate(n=Count("mlmodel_id"))
        .order_by("-n", "user__username")
    )
    teams = (
        OwnerTeams.objects.filter(mlmodel__in=models.values("pk"))
        .values("team__name", "team__display_name")
        .annotate(n=Count("mlmodel_id"))
        .order_by("-n", "team__name")
    )
    owners = [(r["user__username"], r["user__display_name"] or r["user__username"], r["n"]) for r in users[:FACET_SIZE]]
    owners += [
        (r["team__name"], (r["team__display_name"] or r["team__name"]) + " (team)", r["n"]) for r in teams[:FACET_SIZE]
    ]
    return sorted(owners, key=lambda o: (-o[2], o[1]))[:FACET_SIZE]


def build_facets(base, selected: dict[str, list[str]], exposed=None) -> list[Facet]:
    """Count each facet over the models matching the search and the *other* facets.

    Leaving a facet's own selection out lets a user widen it (pick a second
    tag) without the other values dropping to zero.
    """
    facets = []
    for name, label in FACETS.items():
        others = Q()
        for other, values in selected.items():
            if other != name:
                others &= facet_filter(other, values, exposed)
        counted = facet_counts(name, base.filter(others), exposed)
        values = [FacetValue(v, lbl, n, v in selected[name]) for v, lbl, n in counted]
        listed = {v.value for v in values}
        values += [FacetValue(v, v, 0, True) for v in selected[name] if v not in listed]
        facets.append(Facet(name, label, values))
    return facets


#: How many features a model has. A subquery per listed model, not a join
#: grouped over every model: PostgreSQL computes it for the page's 20 rows only.
FEATURE_COUNT = Coalesce(
    Subquery(
        MlFeature.objects.filter(model=OuterRef("pk")).order_by().values("model").annotate(n=Count("pk")).values("n")
    ),
    0,
)


@signed_in
@require_GET
def explore(request):
    """List ML models matching the search box and the chosen facets."""
    term = request.GET.get("q", "")[:200]
    selected = {name: [v for v in request.GET.getlist(name) if v][:20] for name in FACETS}
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else DEFAULT_SORT

    base = matching_models(term)
    # Which models sensitive data reaches is the lineage app's answer, costly
    # on a large graph, so it is asked for only when the facet is chosen.
    exposed = (
        sql.one_of("pk", list(governance.exposed_model_ids()), one_parameter=True)
        if SENSITIVE in selected["sensitive"]
        else None
    )
    matching = base
    for name, values in selected.items():
        matching = matching.filter(facet_filter(name, values, exposed))
    matching = (
        matching.select_related("service")
        .prefetch_related("owner_users", "owner_teams", "tags")
        .annotate(feature_count=FEATURE_COUNT)
        .order_by(*SORTS[sort][1])
    )
    context = {
        "term": term,
        "sort": sort,
        "sorts": [(key, label) for key, (label, _) in SORTS.items()],
        "facets": build_facets(base, selected, exposed),
        "page": paginate(request, matching),
        "page_query": query_without_page(request),
        "filtered": bool(term.strip()) or any(selected.values()),
    }
    template = "catalog/explore.html#results" if is_partial(request) else "catalog/explore.html"
    return render(request, template, context)
