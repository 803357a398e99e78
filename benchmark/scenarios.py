"""What the benchmark times: the pages and API calls of issue 6, against targets picked from the catalogue."""

import json
import urllib.parse
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db.models import Count
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.module_loading import import_string

from api import paging
from catalog import search
from catalog.models import ApiToken, EntityVersion, FeatureSource, MlModel, MlModelService, Tag, User

RUNNER = "benchmark-runner"
#: A word people type: it names models of one domain and appears in descriptions.
SEARCH_TERM = "fraud"
#: Targets (p95, milliseconds) from issue 6.
PAGE_TARGET_MS = 100
DIAGRAM_TARGET_MS = 1000
CACHED_DIAGRAM_TARGET_MS = 50
#: Models per page of the API list and search.
LIST_PAGE = 100


class NoCatalogue(Exception):
    pass


@dataclass
class Credentials:
    user: User
    cookie: str
    token: str
    token_row: ApiToken

    def browser(self) -> dict:
        return {"Cookie": self.cookie}

    def api(self, *, json_body: bool = False) -> dict:
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        if json_body:
            headers["Content-Type"] = "application/json"
        return headers


def sign_in() -> Credentials:
    """Return a session cookie and an API token for an editor that exists only for the benchmark."""
    user = User.objects.filter(username=RUNNER).first()
    if user is None:
        user = User.objects.create_user(
            RUNNER, role=User.Role.EDITOR, display_name="Benchmark runner", updated_by=RUNNER
        )
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    token_row, raw = ApiToken.issue(user, "benchmark")
    return Credentials(user, f"{settings.SESSION_COOKIE_NAME}={store.session_key}", raw, token_row)


@dataclass
class Targets:
    """The entities the scenarios ask for, chosen the same way on every catalogue."""

    model: MlModel
    version: str
    put_model: MlModel
    column_id: object
    column_uses: int
    tag_fqn: str
    cold_models: list = field(default_factory=list)
    #: ``after`` cursors of the API list's pages of 100, so each request can ask for another page.
    list_cursors: list = field(default_factory=list)
    #: How many pages of 100 the API search for SEARCH_TERM has.
    search_pages: int = 1
    #: Up to three model-version numbers of ``model``, for the compare page.
    model_versions: list = field(default_factory=list)


def pick_targets(cold_count: int) -> Targets:
    models = MlModel.objects.live().order_by("fqn")
    total = models.count()
    if total == 0:
        raise NoCatalogue("the catalogue holds no models: run manage.py generate_catalogue first")
    # The richest history: a model that went through a major version, from the middle of the alphabet.
    rich = models.filter(version__gte=1)
    model = (rich if rich.exists() else models)[(rich.count() if rich.exists() else total) // 2]
    superseded = EntityVersion.objects.filter(entity_type="mlmodel", entity_id=model.pk).order_by("-version")
    version = str(superseded[0].version) if superseded else str(model.version)
    put_model = models.exclude(pk=model.pk)[total // 3] if total > 1 else model
    widest = (
        FeatureSource.objects.filter(column__isnull=False)
        .values("column_id")
        .annotate(uses=Count("id"))
        .order_by("-uses", "column_id")
        .first()
    )
    popular_tag = (
        Tag.objects.filter(mlmodels__isnull=False).annotate(uses=Count("mlmodels")).order_by("-uses", "name").first()
    )
    step = max(1, total // max(cold_count, 1))
    cold = list(models.values_list("pk", flat=True)[::step][:cold_count]) if total else []
    in_list_order = list(MlModel.objects.live().order_by("name", "pk").values_list("name", "pk"))
    cursors = [paging.encode(name, pk) for name, pk in in_list_order[LIST_PAGE - 1 : -1 : LIST_PAGE]]
    return Targets(
        model=model,
        version=version,
        put_model=put_model,
        column_id=widest["column_id"] if widest else None,
        column_uses=widest["uses"] if widest else 0,
        tag_fqn=popular_tag.fqn if popular_tag else "",
        cold_models=cold,
        list_cursors=cursors,
        search_pages=max(1, -(-models.filter(pk__in=search.matching_model_ids(SEARCH_TERM)).count() // LIST_PAGE)),
        model_versions=list(model.model_versions.order_by("number").values_list("number", flat=True)[:3]),
    )


def url(name: str, *args, query: dict | None = None) -> str | None:
    """Return the path of a named route, or None when no such page exists (yet)."""
    try:
        path = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return path + ("?" + urllib.parse.urlencode(query, doseq=True) if query else "")


def api_path(path: str) -> str | None:
    """Return ``path`` when the API serves it, None when no such route exists (yet)."""
    try:
        resolve(path)
    except Resolver404:
        return None
    return path


def api_list_path(after: str | None = None) -> str:
    return f"/api/v1/mlmodels?limit={LIST_PAGE}&fields=owners,tags,followers" + (f"&after={after}" if after else "")


def api_search_path(start: int = 0) -> str:
    """OpenMetadata's search endpoint, asked for a page of 100 models: what MLflow's name search is compared with."""
    return "/api/v1/search/query?" + urllib.parse.urlencode(
        {"q": SEARCH_TERM, "index": "mlmodel_search_index", "size": LIST_PAGE, **({"from": start} if start else {})}
    )


def api_name_path(model: MlModel) -> str:
    return "/api/v1/mlmodels/name/" + urllib.parse.quote(model.fqn, safe="")


def create_request(entity: dict, description: str) -> dict:
    """Turn a GET representation into the PUT body the OpenMetadata SDK sends (CreateMlModelRequest)."""
    body = {
        k: entity[k]
        for k in ("name", "displayName", "algorithm", "target", "server", "mlStore", "sourceUrl")
        if k in entity
    }
    body["description"] = description
    body["service"] = entity["service"]["fullyQualifiedName"]
    features = []
    for feature in entity.get("mlFeatures", []):
        out = {k: v for k, v in feature.items() if k not in ("fullyQualifiedName", "tags", "featureSources")}
        out["tags"] = [_label(t) for t in feature.get("tags", [])]
        out["featureSources"] = [
            {
                **{k: v for k, v in source.items() if k not in ("fullyQualifiedName", "dataSource", "tags")},
                **(
                    {"dataSource": {"id": source["dataSource"]["id"], "type": "table"}}
                    if "dataSource" in source
                    else {}
                ),
                "tags": [_label(t) for t in source.get("tags", [])],
            }
            for source in feature.get("featureSources", [])
        ]
        features.append(out)
    if features:
        body["mlFeatures"] = features
    if entity.get("mlHyperParameters"):
        body["mlHyperParameters"] = entity["mlHyperParameters"]
    if entity.get("dashboard"):
        body["dashboard"] = entity["dashboard"]["fullyQualifiedName"]
    if entity.get("owners"):
        body["owners"] = [{"id": o["id"], "type": o["type"]} for o in entity["owners"]]
    if entity.get("tags"):
        body["tags"] = [_label(t) for t in entity["tags"]]
    return body


def _label(tag: dict) -> dict:
    return {k: tag[k] for k in ("tagFQN", "source", "labelType", "state") if k in tag}


@dataclass
class Scenario:
    key: str
    label: str
    target_ms: float | None
    #: i -> (method, path, body, headers); None when the page does not exist (yet).
    make: object
    expect: tuple = (200,)
    budget_s: float = 60
    note: str = ""


def scenarios(targets: Targets, creds: Credentials, put_template: dict | None, run_id: str) -> list[Scenario]:
    browser, api = creds.browser(), creds.api()
    # What htmx sends when the depth or filters change: the server answers with the diagram alone.
    htmx = {**browser, "HX-Request": "true"}

    def get(path, headers=browser):
        return None if path is None else (lambda i: ("GET", path, None, headers))

    model = targets.model
    explore = url("explore")
    diagram = url("lineage:node", "mlmodel", model.pk)
    cold_paths = [url("lineage:node", "mlmodel", pk) for pk in targets.cold_models]
    put_headers = creds.api(json_body=True)
    # Every page but the first: the first is what "api_list" asks, again and again.
    cursors = targets.list_cursors

    def put(i):
        body = dict(put_template, description=f"Benchmark update {run_id}-{i}.")
        return "PUT", "/api/v1/mlmodels", json.dumps(body).encode(), put_headers

    return [
        Scenario("floor", "Floor: no-op Django view", None, get("/_benchmark/floor")),
        Scenario("explore", "Explore, first page", PAGE_TARGET_MS, get(explore)),
        Scenario(
            "explore_search",
            f"Explore, text search “{SEARCH_TERM}”",
            PAGE_TARGET_MS,
            get(explore and f"{explore}?q={SEARCH_TERM}"),
        ),
        Scenario(
            "explore_facet",
            f"Explore, facet tag={targets.tag_fqn}",
            PAGE_TARGET_MS,
            get(explore and f"{explore}?{urllib.parse.urlencode({'tag': targets.tag_fqn})}"),
        ),
        Scenario("model_page", "Model page", PAGE_TARGET_MS, get(url("mlmodel", model.pk))),
        Scenario(
            "model_versions_compare",
            f"Compare page ({len(targets.model_versions)} model versions)",
            PAGE_TARGET_MS,
            get(url("model_version_compare", model.pk, query={"v": targets.model_versions}))
            if len(targets.model_versions) >= 2
            else None,
        ),
        Scenario("model_card", "Model card page", PAGE_TARGET_MS, get(url("mlmodel_card", model.pk))),
        Scenario(
            "api_model_versions",
            "API model versions of a model",
            PAGE_TARGET_MS,
            get(api_path(f"/api/v1/mlmodels/{model.pk}/modelVersions"), api),
        ),
        Scenario(
            "version_diff",
            f"Version diff page (v{targets.version})",
            PAGE_TARGET_MS,
            get(url("mlmodel_history_version", model.pk, targets.version)),
        ),
        Scenario("api_list", "API list 100, fields=owners,tags,followers", PAGE_TARGET_MS, get(api_list_path(), api)),
        Scenario(
            "api_list_uncached",
            "API list 100, another page each time",
            PAGE_TARGET_MS,
            (lambda i: ("GET", api_list_path(cursors[i % len(cursors)]), None, api)) if cursors else None,
        ),
        Scenario("api_search", f"API search “{SEARCH_TERM}”, page of 100", PAGE_TARGET_MS, get(api_search_path(), api)),
        Scenario(
            "api_search_uncached",
            f"API search “{SEARCH_TERM}”, another page of 100 each time",
            PAGE_TARGET_MS,
            lambda i: ("GET", api_search_path(start=(i % targets.search_pages) * LIST_PAGE), None, api),
        ),
        Scenario("api_get_name", "API get by name", PAGE_TARGET_MS, get(api_name_path(model), api)),
        Scenario(
            "api_put",
            "API PUT update (20 features × 2 sources)",
            PAGE_TARGET_MS,
            put if put_template is not None else None,
            expect=(200,),
            note="each PUT changes the description: one new version",
        ),
        Scenario(
            "diagram_cold",
            "Lineage diagram (htmx swap), cold: a new model each time",
            DIAGRAM_TARGET_MS,
            (lambda i: ("GET", cold_paths[i % len(cold_paths)], None, htmx)) if diagram and cold_paths else None,
            budget_s=120,
        ),
        Scenario(
            "diagram_cached", "Lineage diagram (htmx swap), cached render", CACHED_DIAGRAM_TARGET_MS, get(diagram, htmx)
        ),
        Scenario("lineage_page", "Lineage page of a model (full page, cached render)", PAGE_TARGET_MS, get(diagram)),
        Scenario(
            "impact",
            f"Impact of the widest-used column ({targets.column_uses} sources)",
            PAGE_TARGET_MS,
            get(url("lineage:impact", "column", targets.column_id)) if targets.column_id else None,
        ),
        Scenario("governance", "Governance page", PAGE_TARGET_MS, get(url("lineage:governance"))),
    ]


def default_service() -> MlModelService | None:
    return MlModelService.objects.order_by("name").first()
