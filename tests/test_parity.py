"""Every door refuses what the rules refuse: the same bad input through the page, the API and the
admin gets the same message and changes nothing.

Each rule is written once (catalog.services.validation, catalog.models); these tests post one bad
input per rule through each door that can express it and compare what the database holds after.
"""

import html

import pytest
from django.test import Client
from django.urls import reverse

from catalog import representations
from catalog.models import Column, EntityVersion, MlModel, Table, Team
from catalog.services import mlmodels
from tests.api.conftest import ApiClient, token_for
from tests.conftest import make
from tests.test_admin import model_form
from tests.ui.conftest import HTMX

FINANCE = "Team 'finance' is a Department; only Group teams own."
BAD_URL = "Enter a valid http(s) URL, not 'not a url'."
DUPLICATE_FEATURE = "Feature names must be unique in a model: 'age' repeats."
DUPLICATE_PARAMETER = "Hyperparameter names must be unique: 'max_depth' repeats."
DUPLICATE_SOURCE = "Source names must be unique in a feature: 'birth_date' repeats."
TOO_MANY_SOURCES = "At most 100 sources in a feature are allowed; 101 were given."
TOO_MANY_MODEL_SOURCES = "At most 2,000 feature sources in a model are allowed; 2,001 were given."
FOREIGN_COLUMN = (
    "Column “amount” belongs to table warehouse.analytics.public.orders, not warehouse.analytics.public.customers."
)


@pytest.fixture
def finance(db):
    return make(Team(name="finance", team_type=Team.TeamType.DEPARTMENT))


@pytest.fixture
def orders(warehouse):
    def columns(table):
        Column.objects.create(table=table, name="amount", position=0)

    return make(Table(schema=warehouse["schema"], name="orders"), related=columns)


@pytest.fixture
def doors(owner, admin_user):
    page, admin = Client(), Client()
    page.force_login(owner)
    admin.force_login(admin_user)
    return {"page": page, "api": ApiClient(token_for(owner)), "admin": admin}


def state(model) -> tuple:
    """What a refused write must leave as it was: the model's snapshot and its history."""
    fresh = representations.represented(MlModel).get(pk=model.pk)
    return representations.snapshot(fresh), EntityVersion.objects.filter(entity_id=model.pk).count()


def page_post(client, url, model, data):
    return client.post(url, {"expected_version": str(model.version), **data}, **HTMX)


def feature(model, name):
    return model.features.get(name=name)


# Each door, for each rule: a function (doors, model, fixtures) -> response. ---------------------------------------


def owner_by_page(doors, model, finance, orders):
    url = reverse("mlmodel_field_edit", args=[model.pk, "owners"])
    return page_post(
        doors["page"], url, model, {"owners": [f"user:{model.owner_users.get().pk}"], "add_owner": "finance"}
    )


def owner_by_api(doors, model, finance, orders):
    team = {"id": str(finance.pk), "type": "team"}
    return doors["api"].patch(f"/mlmodels/{model.pk}", [{"op": "add", "path": "/owners/-", "value": team}])


def owner_by_admin(doors, model, finance, orders):
    url = reverse("admin:catalog_mlmodel_change", args=[model.pk])
    return doors["admin"].post(url, model_form(model, owner_teams=[str(finance.pk)]))


def url_by_page(doors, model, finance, orders):
    url = reverse("mlmodel_field_edit", args=[model.pk, "server"])
    return page_post(doors["page"], url, model, {"server": "not a url"})


def url_by_api(doors, model, finance, orders):
    return doors["api"].patch(f"/mlmodels/{model.pk}", [{"op": "add", "path": "/server", "value": "not a url"}])


def url_by_admin(doors, model, finance, orders):
    url = reverse("admin:catalog_mlmodel_change", args=[model.pk])
    return doors["admin"].post(url, model_form(model, server="not a url"))


def feature_by_page(doors, model, finance, orders):
    url = reverse("mlmodel_feature_edit", args=[model.pk, feature(model, "persona").pk])
    return page_post(doors["page"], url, model, {"name": "age"})


def feature_by_api(doors, model, finance, orders):
    return doors["api"].patch(
        f"/mlmodels/{model.pk}", [{"op": "replace", "path": "/mlFeatures/1/name", "value": "age"}]
    )


def feature_by_admin(doors, model, finance, orders):
    url = reverse("admin:catalog_mlmodel_change", args=[model.pk])
    form = model_form(model)
    index = next(k.split("-")[1] for k, v in form.items() if k.endswith("-name") and v == "persona")
    return doors["admin"].post(url, {**form, f"features-{index}-name": "age"})


def parameter_by_page(doors, model, finance, orders):
    url = reverse("mlmodel_hyperparameter_add", args=[model.pk])
    return page_post(doors["page"], url, model, {"name": "max_depth", "value": "3"})


def parameter_by_api(doors, model, finance, orders):
    parameter = {"name": "max_depth", "value": "3"}
    return doors["api"].patch(
        f"/mlmodels/{model.pk}", [{"op": "add", "path": "/mlHyperParameters/-", "value": parameter}]
    )


def parameter_by_admin(doors, model, finance, orders):
    url = reverse("admin:catalog_mlmodel_change", args=[model.pk])
    form = model_form(model)
    extra = {
        "hyperparameters-TOTAL_FORMS": "2",
        "hyperparameters-1-model": str(model.pk),
        "hyperparameters-1-position": "1",
        "hyperparameters-1-name": "max_depth",
        "hyperparameters-1-value": "3",
    }
    return doors["admin"].post(url, {**form, **extra})


def column_by_page(doors, model, finance, orders):
    url = reverse("mlmodel_source_add", args=[model.pk, feature(model, "age").pk])
    column = orders.columns.get(name="amount")
    return page_post(
        doors["page"], url, model, {"table": "warehouse.analytics.public.customers", "column": str(column.pk)}
    )


def feature_form(feature, sources: list[dict]) -> dict:
    """The admin's change form of a feature, with these sources (existing ones carry their ``id``)."""
    form = {
        "position": str(feature.position),
        "name": feature.name,
        "data_type": feature.data_type,
        "feature_algorithm": feature.feature_algorithm,
        "description": feature.description,
        "tags": [],
        "sources-TOTAL_FORMS": str(len(sources)),
        "sources-INITIAL_FORMS": str(sum(1 for source in sources if source.get("id"))),
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "1000",
    }
    for i, source in enumerate(sources):
        form.update({f"sources-{i}-{key}": value for key, value in source.items()})
        form[f"sources-{i}-feature"] = str(feature.pk)
        form.setdefault(f"sources-{i}-position", str(i))
    return form


def stored_source(source) -> dict:
    return {
        "id": str(source.pk),
        "position": str(source.position),
        "name": source.name,
        "data_type": source.data_type,
        "table": str(source.table_id or ""),
        "column": str(source.column_id or ""),
        "description": source.description,
    }


def column_by_admin(doors, model, finance, orders):
    age = feature(model, "age")
    source = {**stored_source(age.sources.get()), "column": str(orders.columns.get(name="amount").pk)}
    return doors["admin"].post(reverse("admin:catalog_mlfeature_change", args=[age.pk]), feature_form(age, [source]))


def source_by_page(doors, model, finance, orders, name="birth_date"):
    url = reverse("mlmodel_source_add", args=[model.pk, feature(model, "age").pk])
    return page_post(doors["page"], url, model, {"name": name, "data_type": "date"})


def source_by_api(doors, model, finance, orders, name="birth_date"):
    source = {"name": name, "dataType": "date"}
    return doors["api"].patch(
        f"/mlmodels/{model.pk}", [{"op": "add", "path": "/mlFeatures/0/featureSources/-", "value": source}]
    )


def source_by_admin(doors, model, finance, orders, name="birth_date"):
    age = feature(model, "age")
    sources = [stored_source(source) for source in age.sources.all()]
    sources.append({"name": name, "data_type": "date", "table": "", "column": "", "description": ""})
    return doors["admin"].post(reverse("admin:catalog_mlfeature_change", args=[age.pk]), feature_form(age, sources))


def crowd_sources(model) -> None:
    """Give the model's feature "age" as many sources as a feature may hold."""
    features = mlmodels.stored_features(model)
    features[0].sources = [mlmodels.SourceSpec(name=f"s{i}") for i in range(100)]
    mlmodels.update_mlmodel(model, "test", features=features)


def crowd_the_model_with_sources(model) -> None:
    """Fill the model to as many sources as a model may hold, "age" one below its own bound."""
    features = mlmodels.stored_features(model)
    features[0].sources = [mlmodels.SourceSpec(name=f"s{i}") for i in range(99)]
    room = 2_000 - sum(len(f.sources) for f in features)
    while room:
        count = min(room, 100)
        sources = [mlmodels.SourceSpec(name=f"s{i}") for i in range(count)]
        features.append(mlmodels.FeatureSpec(name=f"filler{len(features)}", sources=sources))
        room -= count
    mlmodels.update_mlmodel(model, "test", features=features)


def one_more_source(by):
    return lambda doors, model, finance, orders: by(doors, model, finance, orders, name="s100")


#: rule -> (message, {door: how that door is asked}). The API names a source's table only (OpenMetadata's
#: shape), linking the column of that name, so it cannot name another table's column.
RULES = {
    "a Department cannot own": (FINANCE, {"page": owner_by_page, "api": owner_by_api, "admin": owner_by_admin}),
    "URLs are http(s)": (BAD_URL, {"page": url_by_page, "api": url_by_api, "admin": url_by_admin}),
    "feature names do not repeat": (
        DUPLICATE_FEATURE,
        {"page": feature_by_page, "api": feature_by_api, "admin": feature_by_admin},
    ),
    "hyperparameter names do not repeat": (
        DUPLICATE_PARAMETER,
        {"page": parameter_by_page, "api": parameter_by_api, "admin": parameter_by_admin},
    ),
    "a source's column is in its table": (FOREIGN_COLUMN, {"page": column_by_page, "admin": column_by_admin}),
    "source names do not repeat in a feature": (
        DUPLICATE_SOURCE,
        {"page": source_by_page, "api": source_by_api, "admin": source_by_admin},
    ),
    "a feature holds at most 100 sources": (
        TOO_MANY_SOURCES,
        {
            door: one_more_source(by)
            for door, by in (("page", source_by_page), ("api", source_by_api), ("admin", source_by_admin))
        },
    ),
    "a model holds at most 2,000 feature sources": (
        TOO_MANY_MODEL_SOURCES,
        {
            door: one_more_source(by)
            for door, by in (("page", source_by_page), ("api", source_by_api), ("admin", source_by_admin))
        },
    ),
}
#: rule -> what the model must hold before the bad input is sent.
PREPARE = {
    "a feature holds at most 100 sources": crowd_sources,
    "a model holds at most 2,000 feature sources": crowd_the_model_with_sources,
}
CASES = [(rule, door) for rule, (_, asks) in RULES.items() for door in asks]


@pytest.mark.parametrize("rule, door", CASES, ids=[f"{rule} ({door})" for rule, door in CASES])
def test_every_door_refuses_the_same_bad_input_with_the_same_message_and_changes_nothing(
    doors, churn_model, finance, orders, rule, door
):
    message, asks = RULES[rule]
    if rule in PREPARE:
        PREPARE[rule](churn_model)
        churn_model = MlModel.objects.get(pk=churn_model.pk)
    before = state(churn_model)

    response = asks[door](doors, churn_model, finance, orders)

    if door == "api":
        assert response.status_code == 400
        assert message in response.json()["message"]
    else:
        # A refused page or admin form comes back (200) with the message next to the field.
        assert response.status_code == 200
        assert message in html.unescape(response.content.decode())
    assert state(churn_model) == before


def test_the_admin_still_saves_what_the_rules_allow(doors, churn_model):
    url = reverse("admin:catalog_mlmodel_change", args=[churn_model.pk])
    response = doors["admin"].post(url, model_form(churn_model, server="https://serving.example.com/churn"))
    assert response.status_code == 302
    assert MlModel.objects.get(pk=churn_model.pk).server == "https://serving.example.com/churn"
