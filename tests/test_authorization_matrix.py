"""The authorisation matrix: every unsafe route × every role × own / other / missing object (issue 11).

The routes come from the URL configuration, not from a list kept by hand:
every route of the API and of the pages that accepts POST, PUT, PATCH or
DELETE must be placed in :data:`POLICIES`, or the first test fails and says
so. For each route the test sends a minimal valid request as each role about
the caller's own object, someone else's and a missing one, checks the status
the route's policy gives, and checks that a refused request changed nothing
in the database. Each request runs in a savepoint that is rolled back, so the
catalogue is built once per route.
"""

import json
import uuid

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.entities import KINDS
from catalog import models as m
from catalog import registry
from catalog.models import ApiToken, User
from catalog.services import assets, changes, mlmodels, modelversions
from lineage import edits
from lineage.models import Edge
from tests.api.conftest import ApiClient, token_for

UNSAFE = ("post", "put", "patch", "delete")
ROLES = ("anonymous", "viewer", "owner", "editor", "administrator")
MISSING = "00000000-0000-0000-0000-00000000beef"

# -- The table: every unsafe route and its policy ------------------------------------------------------------------
#
# "catalogue": editors and administrators change anything; owners (viewers) what they own; others nothing.
# "accounts": users and teams, administrators only.
# "own follow": every reader follows and unfollows themselves; changing another's following is editing the model.
# "lineage": an edge is stated or removed by whoever may edit one of its ends.
# "approval": deciding on a model version (approve, reject): the model's owners and administrators (and
#   approvers, whom this world has none of); an editor who owns nothing decides nothing.
# "own tokens": one's own tokens; an administrator's also the bots'.
# "sign in": open to everyone, changes no catalogue row.
# "no route": the API's answer to a path no route matches; it changes nothing for anyone.

POLICIES = {
    "login": "sign in",
    "logout": "sign in",
    "account_tokens": "own tokens",
    "account_token_revoke": "own tokens",
    "mlmodel_follow": "own follow",
    "mlmodel_field_edit": "catalogue",
    "mlmodel_history_restore": "catalogue",
    "model_version_alias": "catalogue",
    "model_version_status": "catalogue",
    "model_version_review": "approval",
    "mlmodel_hyperparameter_add": "catalogue",
    "mlmodel_hyperparameter_edit": "catalogue",
    "mlmodel_hyperparameter_remove": "catalogue",
    "mlmodel_feature_add": "catalogue",
    "mlmodel_feature_edit": "catalogue",
    "mlmodel_feature_remove": "catalogue",
    "mlmodel_source_add": "catalogue",
    "mlmodel_source_edit": "catalogue",
    "mlmodel_source_remove": "catalogue",
    "lineage:edge_add": "catalogue",
    "lineage:edge_remove": "catalogue",
    "catalog-api:lineage": "lineage",
    "catalog-api:lineage-edge-change": "lineage",
    "catalog-api:unknown": "no route",
    "catalog-api:mlmodel-history-restore": "catalogue",
    "catalog-api:mlmodel-model-versions": "catalogue",
    "catalog-api:mlmodel-model-version": "catalogue",
    "catalog-api:mlmodel-model-version-status": "catalogue",
    "catalog-api:mlmodel-model-version-requests": "catalogue",
    "catalog-api:mlmodel-model-version-metrics": "catalogue",
    "catalog-api:mlmodel-model-version-approve": "approval",
    "catalog-api:mlmodel-model-version-reject": "approval",
    "catalog-api:mlmodel-alias": "catalogue",
    "catalog-api:mlmodel-card": "catalogue",
}
#: A minimal valid request to each route of a model's parts (model versions, aliases, card): method → (path, body).
MODEL_PARTS = {
    "model-versions": {"post": ("modelVersions", {"version": 3})},
    "model-version": {
        "put": ("modelVersions/2", {"description": "changed"}),
        "patch": ("modelVersions/2", {"description": "changed"}),
        "delete": ("modelVersions/2", None),
    },
    "model-version-status": {"put": ("modelVersions/2/status", {"status": "archived", "reason": "Superseded."})},
    "model-version-requests": {"post": ("modelVersions/2/requests", {"status": "production"})},
    "model-version-metrics": {"post": ("modelVersions/2/metrics", {"metrics": [{"name": "f1", "value": 0.7}]})},
    "model-version-approve": {"post": ("modelVersions/1/approve", {"reason": "Checked."})},
    "model-version-reject": {"post": ("modelVersions/1/reject", {"reason": "Not convincing."})},
    "alias": {"put": ("aliases/champion", {"version": 2}), "delete": ("aliases/champion", None)},
    "card": {
        "put": ("modelCard", {"intendedUse": "Retention."}),
        "patch": ("modelCard", {"intendedUse": "Retention."}),
    },
}
for _type in KINDS:
    _policy = "accounts" if registry.TYPES[_type].account else "catalogue"
    for _route in ("list", "restore", "by-name", "detail"):
        POLICIES[f"catalog-api:{_type}-{_route}"] = _policy
    if registry.TYPES[_type].followable:
        POLICIES[f"catalog-api:{_type}-followers"] = POLICIES[f"catalog-api:{_type}-follower"] = "own follow"


# -- The routes, from the URL configuration -------------------------------------------------------------------------

DUMMY = {"uuid": uuid.UUID(MISSING), "int": 987654, "slug": "mlmodel"}


def patterns(resolver=None, namespace=""):
    """Yield (route name, pattern) for every named route outside the admin console."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name != "admin":
                yield from patterns(entry, f"{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, entry


def dummy_url(name, entry) -> str:
    converters = getattr(entry.pattern, "converters", {})
    kwargs = {key: DUMMY.get(type(c).__name__.removesuffix("Converter").lower(), "x") for key, c in converters.items()}
    kwargs.update({k: v for k, v in entry.default_args.items() if k in kwargs})
    if name == "catalog-api:unknown":
        return "/api/v1/no/such/route"
    return reverse(name, kwargs={k: v for k, v in kwargs.items() if k not in entry.default_args})


def unsafe_methods(name, entry, admin_client) -> list[str]:
    """The unsafe methods a route accepts: the view class's handlers, or what a function view does not answer 405."""
    view_class = getattr(entry.callback, "cls", None)
    if view_class is not None:
        return [method for method in UNSAFE if hasattr(view_class, method)]
    url = dummy_url(name, entry)
    return [method for method in UNSAFE if getattr(admin_client, method)(url).status_code != 405]


# -- The database fingerprint: what a refused request must leave as it was -------------------------------------------


def _fingerprint_sql() -> str:
    from django.apps import apps

    quote = connection.ops.quote_name
    parts = []
    for label in ("catalog", "lineage"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            table = quote(model._meta.db_table)
            parts.append(f"(SELECT COUNT(*) FROM {table})")
            columns = {f.column for f in model._meta.concrete_fields}
            parts += [f"(SELECT SUM({c}) FROM {table})" for c in ("version",) if c in columns]
            parts += [f"(SELECT MAX({c}) FROM {table})" for c in ("updated_at",) if c in columns]
    tokens, users = quote(ApiToken._meta.db_table), quote(User._meta.db_table)
    parts += [
        f"(SELECT COUNT(revoked_at) FROM {tokens})",
        f"(SELECT SUM(CASE WHEN is_active THEN 1 ELSE 0 END) FROM {users})",
        f"(SELECT COUNT(*) FROM {quote(Edge._meta.db_table)} WHERE description <> '')",
    ]
    return "SELECT " + ", ".join(parts)


def fingerprint() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        return tuple(str(value) for value in cursor.fetchone())


class _Rollback(Exception):
    pass


def attempt(send, probe):
    """Send a request in a savepoint; return the response, the fingerprint and ``probe()`` it left, then undo it."""
    try:
        with transaction.atomic():
            response = send()
            after, probed = fingerprint(), probe()
            raise _Rollback
    except _Rollback:
        pass
    return response, after, probed


# -- The catalogue every route is tried against -----------------------------------------------------------------------


@pytest.fixture
def world(owner, viewer, editor, admin_user):
    """Each owned type with one entity the owner owns ("own") and one nobody owns ("other"), and the rest."""
    people = {"viewer": viewer, "owner": owner, "editor": editor, "administrator": admin_user}
    bot = assets.save_user("ingest-bot", "test", is_bot=True).entity
    own = {}
    other = {}
    mine = {"owners": [owner]}
    other["databaseService"] = own["databaseService"] = assets.save_service(
        m.DatabaseService, "warehouse", "test", service_type="Postgres"
    ).entity
    other["dashboardService"] = own["dashboardService"] = assets.save_service(
        m.DashboardService, "bi", "test", service_type="Superset"
    ).entity
    other["mlmodelService"] = own["mlmodelService"] = assets.save_service(
        m.MlModelService, "models", "test", service_type="Mlflow"
    ).entity
    other["classification"] = own["classification"] = assets.save_classification("PII", "test").entity
    other["tag"] = own["tag"] = assets.save_tag(own["classification"], "Sensitive", "test").entity
    for key, extra in (("own", mine), ("other", {})):
        into = own if key == "own" else other
        into["database"] = assets.save_database(own["databaseService"], f"{key}db", "test", **extra).entity
        into["databaseSchema"] = assets.save_schema(into["database"], "public", "test", **extra).entity
        into["table"] = assets.save_table(
            into["databaseSchema"],
            "customers",
            "test",
            columns=[assets.ColumnSpec(name="id", data_type="INT")],
            **extra,
        ).entity
        into["dashboard"] = assets.save_dashboard(own["dashboardService"], f"{key}dash", "test", **extra).entity
        into["mlmodel"] = mlmodels.create_mlmodel(
            own["mlmodelService"],
            f"{key}model",
            "test",
            algorithm="XGBoost",
            features=[
                mlmodels.FeatureSpec(
                    name="age",
                    data_type="numerical",
                    sources=[mlmodels.SourceSpec(name="id", data_type="integer", table=into["table"])],
                )
            ],
            hyperparameters=[mlmodels.HyperParameterSpec(name="depth", value="6")],
            **extra,
        ).entity
        into["modelVersion"], _ = modelversions.save_model_version(
            into["mlmodel"], 1, "test", metrics=[modelversions.MetricSpec("auc", 0.8)]
        )
        modelversions.save_model_version(into["mlmodel"], 2, "test")
        modelversions.set_alias(into["mlmodel"], "champion", 1, "test")
        modelversions.request_status(into["mlmodel"], 1, "production", "test", "Ready.")
    own["team"] = assets.save_team("everyone", "test", users=list(people.values())).entity
    other["team"] = assets.save_team("others", "test").entity
    other["user"] = assets.save_user("someone", "test", email="someone@example.com").entity
    edges = {
        key: edits.state_edge(other["table"], into["mlmodel"], "test", description="by hand")
        for key, into in (("own", own), ("other", other))
    }
    tokens = {
        "own": {role: ApiToken.issue(user, "mine")[0] for role, user in people.items()},
        "bot": ApiToken.issue(bot, "bot's")[0],
    }
    api = {role: ApiClient(token_for(user)) for role, user in people.items()}
    api["anonymous"] = ApiClient()
    browsers = {}
    for role, user in people.items():
        browsers[role] = Client()
        browsers[role].force_login(user)
    browsers["anonymous"] = Client()
    return {
        "people": people,
        "bot": bot,
        "own": own,
        "other": other,
        "edges": edges,
        "tokens": tokens,
        "api": api,
        "browsers": browsers,
    }


def entity_of(world, role, type_, obj):
    """The entity a request is about: accounts are the caller's own (their user, their team) or another's."""
    if obj == "missing":
        return None
    if type_ == "user" and obj == "own":
        return world["people"].get(role, world["people"]["viewer"])
    return world[obj][type_]


# -- Minimal valid requests -----------------------------------------------------------------------------------------

CREATE = {
    "mlmodel": lambda e: {"service": "models", "algorithm": "XGBoost"},
    "table": lambda e: {"databaseSchema": e.schema.fqn if e else "warehouse.owndb.public", "columns": []},
    "database": lambda e: {"service": "warehouse"},
    "databaseSchema": lambda e: {"database": e.database.fqn if e else "warehouse.owndb"},
    "dashboard": lambda e: {"service": "bi"},
    "mlmodelService": lambda e: {"serviceType": "Mlflow"},
    "databaseService": lambda e: {"serviceType": "Postgres"},
    "dashboardService": lambda e: {"serviceType": "Superset"},
    "user": lambda e: {"email": "new@example.com" if e is None else e.email or "x@example.com"},
    "team": lambda e: {"teamType": "Group"},
    "classification": lambda e: {"description": "d"},
    "tag": lambda e: {"classification": "PII", "description": "d"},
}


def api_requests(name, method, world, role):
    """Yield (object, send) for one API route and method as ``role``."""
    client = world["api"][role]
    if name.startswith("catalog-api:lineage"):
        yield from lineage_requests(name, method, world, client)
        return
    if POLICIES[name] == "no route":
        yield "missing", lambda: getattr(client, method)("/no/such/route", *([] if method == "delete" else [{}]))
        return
    type_, route = name.removeprefix("catalog-api:").split("-", 1)
    kind = KINDS[type_]
    c = f"/{kind.collection}"
    for obj in ("new", "own", "other", "missing"):
        entity = entity_of(world, role, type_, obj) if obj != "new" else None
        pk = str(entity.pk) if entity is not None else MISSING
        if route == "list":
            if obj == "missing" and kind.parent_key is None:
                continue
            if obj in ("own", "other") and method == "post":
                continue  # POST only creates
            body = {"name": entity.name if entity is not None else "fresh", **CREATE[type_](entity)}
            if entity is not None:
                body["description"] = "changed"
            if obj == "missing":
                body[kind.parent_key] = "no-such-parent"
            yield obj, lambda body=body: getattr(client, method)(c, body)
        elif obj == "new":
            continue
        elif route == "detail" and method == "patch":
            yield obj, lambda pk=pk: client.patch(f"{c}/{pk}", [{"op": "add", "path": "/description", "value": "x"}])
        elif route == "detail":
            yield obj, lambda pk=pk: client.delete(f"{c}/{pk}?recursive=true")
        elif route == "by-name":
            name_ = entity.fqn if entity is not None else "no-such-entity"
            yield obj, lambda name_=name_: client.delete(f"{c}/name/{name_}?recursive=true")
        elif route == "restore":
            yield obj, lambda pk=pk: client.put(f"{c}/restore", {"id": pk})
        elif route == "followers":
            yield from follow_requests(
                world, role, obj, lambda model, user: client.put(f"{c}/{model}/followers", json.dumps(user))
            )
        elif route in MODEL_PARTS:
            path, body = MODEL_PARTS[route][method]
            url = f"{c}/{pk}/{path}"
            if method == "delete":
                yield obj, lambda url=url: client.delete(url)
            elif method == "patch":
                yield obj, lambda url=url, body=body: client.merge(url, body)
            else:
                yield obj, lambda url=url, body=body: getattr(client, method)(url, body)
        elif route == "history-restore":
            version = str(entity.version) if entity is not None else "0.1"
            yield obj, lambda pk=pk, version=version: client.post(f"{c}/{pk}/versions/{version}/restore")
        elif route == "follower":
            yield from follow_requests(
                world, role, obj, lambda model, user: client.delete(f"{c}/{model}/followers/{user}")
            )


def follow_requests(world, role, obj, send):
    """Following oneself ("own"), someone else ("other", on the owner's model), or a missing model."""
    me = world["people"].get(role, world["bot"])
    if obj == "own":
        yield obj, lambda: send(world["other"]["mlmodel"].pk, str(me.pk))
    elif obj == "other":
        yield obj, lambda: send(world["own"]["mlmodel"].pk, str(world["bot"].pk))
    else:
        yield obj, lambda: send(MISSING, str(me.pk))


SQL_QUERY = [{"op": "add", "path": "/sqlQuery", "value": "select 1"}]


def lineage_requests(name, method, world, client):
    table = world["other"]["table"]
    ends = {"own": world["own"]["mlmodel"].pk, "other": world["other"]["mlmodel"].pk, "missing": MISSING}
    for obj, model in ends.items():
        if name == "catalog-api:lineage":
            edge = {
                "fromEntity": {"id": str(table.pk), "type": "table"},
                "toEntity": {"id": str(model), "type": "mlmodel"},
            }
            yield obj, lambda edge=edge: client.put("/lineage", {"edge": {**edge, "description": "stated"}})
        elif method == "delete":
            yield obj, lambda model=model: client.delete(f"/lineage/table/{table.pk}/mlmodel/{model}")
        else:
            yield obj, lambda model=model: client.patch(f"/lineage/table/{table.pk}/mlmodel/{model}", SQL_QUERY)


def page_requests(name, method, world, role):
    """Yield (object, send) for one page route (always POST) as ``role``."""
    browser = world["browsers"][role]
    if name in ("login", "logout"):
        yield "other", lambda: browser.post(reverse(name), {"username": "root", "password": "wrong"})
        return
    if name == "account_tokens":
        me = world["people"].get(role)
        for obj, holder in (("own", me), ("bot", world["bot"]), ("other", world["other"]["user"])):
            data = {"name": "matrix", "user": str(holder.pk) if holder else ""}
            yield obj, lambda data=data: browser.post(reverse(name), data)
        return
    if name == "account_token_revoke":
        me = world["tokens"]["own"].get(role)
        for obj, pk in (("own", me.pk if me else 1), ("bot", world["tokens"]["bot"].pk), ("missing", 987654)):
            yield obj, lambda pk=pk: browser.post(reverse(name, args=[pk]))
        return
    if name == "mlmodel_follow":  # the page follows and unfollows the caller alone
        for obj, pk in (("own", world["other"]["mlmodel"].pk), ("missing", uuid.UUID(MISSING))):
            yield obj, lambda pk=pk: browser.post(reverse(name, args=[pk]), {"follow": "1"})
        return
    if name == "lineage:edge_remove":
        for obj in ("own", "other", "missing"):
            pk = world["edges"][obj].pk if obj != "missing" else 987654
            yield obj, lambda pk=pk: browser.post(reverse(name, args=[pk]))
        return
    for obj in ("own", "other", "missing"):
        model = world[obj]["mlmodel"] if obj != "missing" else None
        pk = model.pk if model else uuid.UUID(MISSING)
        feature = model.features.get() if model else None
        version = str(model.version) if model else "0.1"
        kwargs, data = {"pk": pk}, {"expected_version": version}
        if name == "mlmodel_field_edit":
            kwargs["name"], data["description"] = "description", "changed"
        elif name == "mlmodel_history_restore":
            kwargs["version"] = version
        elif name.startswith("model_version_"):
            kwargs["number"] = 1
            data = {
                "model_version_alias": {"alias": "champion"},
                "model_version_status": {"status": "archived", "reason": "Superseded."},
                "model_version_review": {"decision": "reject", "reason": "Not convincing."},
            }[name]
        elif name == "lineage:edge_add":
            data = {"direction": "down", "target_type": "dashboard", "target": world["other"]["dashboard"].fqn}
        elif name.startswith("mlmodel_hyperparameter"):
            data.update(name="depth", value="7")
            if not name.endswith("add"):
                kwargs["index"] = 0
        elif name.startswith("mlmodel_feature"):
            data.update(name="age2", data_type="numerical")
            if not name.endswith("add"):
                kwargs["feature_id"] = feature.pk if feature else uuid.UUID(MISSING)
        elif name.startswith("mlmodel_source"):
            kwargs["feature_id"] = feature.pk if feature else uuid.UUID(MISSING)
            data.update(name="s2", data_type="integer")
            if not name.endswith("add"):
                kwargs["index"] = 0
        yield obj, lambda kwargs=kwargs, data=data: browser.post(reverse(name, kwargs=kwargs), data)


def route_type(name) -> str | None:
    """The entity type of an API entity route, "revoke" for the token revoke page, else None."""
    if name == "account_token_revoke":
        return "revoke"
    prefix = name.removeprefix("catalog-api:").split("-", 1)[0]
    return prefix if name.startswith("catalog-api:") and prefix in KINDS else None


# -- What each policy answers ---------------------------------------------------------------------------------------

DENIED = "denied"


def expected(policy, api, type_, role, obj):
    """Return the status a request should get (``DENIED``: refused, nothing changes), or a set of allowed ones."""
    anonymous_refusal = 401 if api else "login"
    if policy == "no route":
        return 404  # for everyone, token or not: nothing is there to change (not Django's CSRF page)
    if policy == "sign in":
        return {200, 302}
    if role == "anonymous":
        return anonymous_refusal
    ok = {200, 201} if api else {200, 302}
    owned = type_ not in registry.TYPES or registry.TYPES[type_].owned
    if policy == "own tokens":
        if obj == "missing":
            return 404
        if obj == "own" or role == "administrator":
            return ok
        # Another's token: the revoke page does not find it; the issue form has no "acts as" field and
        # issues the caller's own (the test checks whose tokens changed).
        return 404 if type_ == "revoke" else {200}
    if policy == "own follow":
        if obj == "missing":
            return 404
        if obj == "own" or role in ("owner", "editor", "administrator"):
            return ok
        return DENIED
    if policy == "approval":
        if obj == "missing":
            return {403, 404}
        return ok if role == "administrator" or (role == "owner" and obj == "own") else DENIED
    may = {
        "viewer": False,
        "owner": policy != "accounts" and owned and obj == "own",
        "editor": policy != "accounts",
        "administrator": True,
    }[role]
    passes_gate = role == "administrator" or (
        policy != "accounts" and (role == "editor" or (role == "owner" and owned))
    )
    if obj == "missing":
        if passes_gate:
            return 404
        return DENIED if api else {403, 404}
    if obj == "new":
        return (
            ok if role in ("editor", "administrator") and (policy != "accounts" or role == "administrator") else DENIED
        )
    return ok if may else DENIED


# -- The tests ------------------------------------------------------------------------------------------------------


_PROBED = {}


@pytest.fixture
def routes(admin_user):
    """Every route that accepts an unsafe method, with those methods (probed once: the answer is the code's)."""
    if not _PROBED:
        for name, entry in patterns():
            admin = Client()  # a fresh session per route: probing "logout" signs out
            admin.force_login(admin_user)
            methods = unsafe_methods(name, entry, admin)
            if methods:
                _PROBED[name] = methods
    return _PROBED


def test_every_unsafe_route_is_placed_in_the_matrix(routes):
    unplaced = [name for name in routes if name not in POLICIES]
    assert not unplaced, (
        f"These routes accept unsafe methods but have no policy in tests/test_authorization_matrix.py: {unplaced}. "
        "Add each to POLICIES (and, if it needs one, a minimal request in api_requests or page_requests)."
    )
    stale = set(POLICIES) - set(routes)
    assert not stale, f"POLICIES names routes that no longer take unsafe methods: {sorted(stale)}"


def _unsafe_routes():
    """The routes to try, read from the URL configuration at collection time (methods are probed in the test)."""
    return sorted({name for name, _ in patterns() if name in POLICIES})


@pytest.mark.parametrize("name", _unsafe_routes())
def test_each_role_gets_what_the_policy_says_and_a_refusal_changes_nothing(name, routes, world):
    methods = routes.get(name, [])
    policy = POLICIES[name]
    api = name.startswith("catalog-api:")
    type_ = route_type(name)
    bot, someone = world["bot"], world["other"]["user"]

    def probe():
        """Whose tokens a request issued or revoked, beside the fingerprint: the token routes change those."""
        return (bot.api_tokens.count(), bot.api_tokens.exclude(revoked_at=None).count(), someone.api_tokens.count())

    before, probed_before = fingerprint(), probe()
    failures = []
    for method in methods:
        for role in ROLES:
            requests = api_requests(name, method, world, role) if api else page_requests(name, method, world, role)
            for obj, send in requests:
                want = expected(policy, api, type_, role, obj)
                response, after, probed = attempt(send, probe)
                got = response.status_code
                case = f"{method.upper()} {name} as {role} on {obj}"
                if want == DENIED:
                    if got != 403:
                        failures.append(f"{case}: {got}, want 403")
                elif want == 401:
                    if got != 401:
                        failures.append(f"{case}: {got}, want 401")
                elif want == "login":
                    if got != 302 or "/login/" not in response["Location"]:
                        failures.append(f"{case}: {got}, want a redirect to the sign-in page")
                elif got not in (want if isinstance(want, set) else {want}):
                    failures.append(f"{case}: {got}, want {want}")
                refused = want in (DENIED, 401, "login", 404) or got >= 400
                if refused and policy != "sign in" and after != before:
                    failures.append(f"{case}: refused with {got} but the database changed")
                if (
                    policy == "own tokens"
                    and probed != probed_before
                    and not (obj == "bot" and role == "administrator")
                ):
                    failures.append(f"{case}: changed the tokens of another account")
    assert not failures, "\n".join(failures)


def test_the_fingerprint_sees_a_change_a_refusal_must_not_make(world):
    """The check above can fail: a description changed through the write path moves the fingerprint."""
    before = fingerprint()
    with changes.change(world["other"]["mlmodel"], "test") as c:
        c.entity.description = "changed"
    assert fingerprint() != before
