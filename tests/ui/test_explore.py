"""Explore ML models: search, facets, sorting, paging, and htmx swapping only the results."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import CARD_FIELDS, MlModel, Table
from catalog.services import mlmodels, modelversions
from tests.ui.builders import build_catalogue
from tests.ui.conftest import HTMX

HOSTILE = '"><script>alert(1)</script>'


def names(response) -> list[str]:
    return [model.name for model in response.context["page"].object_list]


@pytest.fixture
def fraud_model(ml_service, editor, pii):
    return mlmodels.create_mlmodel(
        ml_service,
        "fraud",
        editor,
        algorithm="IsolationForest",
        display_name="Card fraud",
        description="Flags suspicious card payments.",
        owners=[editor],
        tags=[pii["non_sensitive"]],
        hyperparameters=[mlmodels.HyperParameterSpec(name="contamination", value="0.01")],
    ).entity


@pytest.mark.parametrize(
    "term, expected",
    [
        ("churn", ["churn"]),  # name
        ("card fraud", ["fraud"]),  # display name
        ("SUSPICIOUS", ["fraud"]),  # description, case-insensitive
        ("xgboost", ["churn"]),  # algorithm
        ("persona", ["churn"]),  # feature name
        ("contamination", ["fraud"]),  # hyperparameter name
        ("customers", ["churn"]),  # source table
        ("birth_date", ["churn"]),  # source column
        ("nothing-like-this", []),
    ],
)
def test_search_looks_at_names_descriptions_algorithms_features_hyperparameters_and_sources(
    as_viewer, churn_model, fraud_model, term, expected
):
    response = as_viewer.get(reverse("explore"), {"q": term})
    assert names(response) == expected


def test_a_table_linked_to_a_model_by_hand_alone_does_not_make_the_model_match_its_name(
    as_viewer, churn_model, fraud_model, warehouse, editor
):
    """Only feature sources count as reading a table; a lineage edge drawn by hand does not."""
    from lineage import edits
    from tests.conftest import make

    orders = make(Table(schema=warehouse["schema"], name="orders"))
    edits.add_model_edge(fraud_model, orders, downstream=False, actor=editor)
    assert names(as_viewer.get(reverse("explore"), {"q": "orders"})) == []


def test_a_model_reading_a_table_also_linked_to_it_by_hand_matches_the_table_name(
    as_viewer, churn_model, fraud_model, warehouse, editor
):
    """The hand-drawn edge stands in for the one lineage would derive from the sources."""
    from lineage import edits

    customers = warehouse["customers"]
    edits.add_model_edge(fraud_model, customers, downstream=False, actor=editor)
    income = customers.columns.get(name="income")
    mlmodels.update_mlmodel(
        fraud_model,
        editor,
        features=[mlmodels.FeatureSpec(name="income", sources=[mlmodels.SourceSpec(name="income", column=income)])],
    )
    assert names(as_viewer.get(reverse("explore"), {"q": "customers"})) == ["fraud", "churn"]


def test_a_model_matching_in_several_places_is_listed_once(as_viewer, churn_model):
    response = as_viewer.get(reverse("explore"), {"q": "e"})
    assert names(response) == ["churn"]


def test_facets_count_models_per_service_owner_tag_and_algorithm(as_viewer, churn_model, fraud_model):
    facets = {f.name: {v.value: v.count for v in f.values} for f in as_viewer.get(reverse("explore")).context["facets"]}
    assert facets == {
        "service": {"mlflow-prod": 2},
        "owner": {"olivia": 1, "edward": 1},
        "tag": {"PII.NonSensitive": 1},
        "algorithm": {"IsolationForest": 1, "XGBoost": 1},
        "sensitive": {"yes": None},  # counted only once chosen: it walks the whole lineage graph
        "production": {"yes": 0},
        "status": {},
        "alias": {},
        "card": {"incomplete": 2},
    }


def test_the_sensitive_data_facet_keeps_models_that_read_sensitive_columns(as_viewer, churn_model, fraud_model):
    """churn reads gender and birth_date, tagged PII.Sensitive; fraud reads nothing."""
    response = as_viewer.get(reverse("explore"), {"sensitive": "yes"})
    assert names(response) == ["churn"]
    facet = next(f for f in response.context["facets"] if f.name == "sensitive")
    assert [(v.label, v.count, v.selected) for v in facet.values] == [("Uses sensitive data", 1, True)]


def test_filtering_by_a_tag_keeps_only_models_carrying_it_and_the_other_values_of_the_facet(
    as_viewer, churn_model, fraud_model, pii
):
    mlmodels.update_mlmodel(churn_model, "test", tags=[pii["sensitive"]])
    response = as_viewer.get(reverse("explore"), {"tag": "PII.NonSensitive"})
    assert names(response) == ["fraud"]
    tag_facet = next(f for f in response.context["facets"] if f.name == "tag")
    # The tag facet is counted without its own selection, so a second tag can be added.
    assert {(v.value, v.count, v.selected) for v in tag_facet.values} == {
        ("PII.NonSensitive", 1, True),
        ("PII.Sensitive", 1, False),
    }
    both = as_viewer.get(reverse("explore") + "?tag=PII.NonSensitive&tag=PII.Sensitive")
    assert names(both) == ["fraud", "churn"]  # "Card fraud" comes before "churn"


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"sensitive": "yes"}, ["churn"]),
        ({"sensitive": "yes", "owner": "edward"}, []),
        ({"service": "mlflow-prod"}, ["fraud", "churn"]),
        ({"owner": "edward"}, ["fraud"]),
        ({"algorithm": "XGBoost"}, ["churn"]),
        ({"algorithm": "XGBoost", "owner": "edward"}, []),
        ({"q": "fraud", "owner": "edward"}, ["fraud"]),
    ],
)
def test_facets_combine_with_each_other_and_with_the_search(as_viewer, churn_model, fraud_model, params, expected):
    assert names(as_viewer.get(reverse("explore"), params)) == expected


def test_an_owner_filter_matches_models_owned_through_a_team(as_viewer, churn_model, ml_service):
    from catalog.models import Team
    from tests.conftest import make

    team = make(Team(name="risk"))
    mlmodels.create_mlmodel(ml_service, "scoring", "test", algorithm="GLM", owners=[team])
    assert names(as_viewer.get(reverse("explore"), {"owner": "risk"})) == ["scoring"]


def test_results_sort_by_name_or_by_last_change(as_viewer, churn_model, fraud_model):
    mlmodels.update_mlmodel(fraud_model, "test", description="newest")
    assert names(as_viewer.get(reverse("explore"), {"sort": "-name"})) == ["churn", "fraud"]
    assert names(as_viewer.get(reverse("explore"), {"sort": "-updated"})) == ["fraud", "churn"]
    assert names(as_viewer.get(reverse("explore"), {"sort": "updated"})) == ["churn", "fraud"]
    assert names(as_viewer.get(reverse("explore"), {"sort": "bogus"})) == ["fraud", "churn"]


def test_the_name_sort_follows_the_titles_shown_display_name_else_name_whatever_their_case(as_viewer, ml_service):
    titles = [("aa-ranker", "Zeta ranker"), ("mm", ""), ("bb", "beta"), ("zz-scoring", "Alpha scoring")]
    for name, display_name in titles:
        mlmodels.create_mlmodel(ml_service, name, "test", algorithm="GLM", display_name=display_name)
    # Alpha scoring, beta, mm, Zeta ranker
    assert names(as_viewer.get(reverse("explore"))) == ["zz-scoring", "bb", "mm", "aa-ranker"]
    assert names(as_viewer.get(reverse("explore"), {"sort": "-name"})) == ["aa-ranker", "mm", "bb", "zz-scoring"]


def test_each_result_says_how_many_features_its_model_has(as_viewer, churn_model, fraud_model):
    response = as_viewer.get(reverse("explore"))
    assert {m.name: m.feature_count for m in response.context["page"].object_list} == {"churn": 2, "fraud": 0}
    assert "<dt>Features</dt><dd>2</dd>" in response.content.decode()


def test_results_are_paged_and_a_bad_page_number_gives_a_page(as_viewer, db):
    build_catalogue(23)
    first = as_viewer.get(reverse("explore"))
    assert len(names(first)) == 20 and first.context["page"].paginator.num_pages == 2
    assert b'rel="next" href="?page=2"' in first.content
    assert len(names(as_viewer.get(reverse("explore"), {"page": "2"}))) == 3
    assert len(names(as_viewer.get(reverse("explore"), {"page": "abc"}))) == 20
    assert len(names(as_viewer.get(reverse("explore"), {"page": "99"}))) == 3


def test_deleted_models_are_not_listed(as_viewer, churn_model, fraud_model, editor):
    from catalog.services import deletion

    deletion.delete(fraud_model, editor)
    assert names(as_viewer.get(reverse("explore"))) == ["churn"]


def test_a_plain_request_renders_the_whole_page_and_an_htmx_request_only_the_results(as_viewer, churn_model):
    url = reverse("explore") + "?q=churn&tag=PII.Sensitive"
    full = as_viewer.get(url)
    assert b"<html" in full.content and b'id="explore-form"' in full.content and b'id="explore-results"' in full.content
    partial = as_viewer.get(url, **HTMX)
    content = partial.content.decode()
    assert "<html" not in content and 'id="explore-form"' not in content
    assert content.lstrip().startswith('<div id="explore-results"')
    assert "HX-Request" in partial["Vary"]
    # The back button restoring a page htmx no longer caches needs the whole page.
    restored = as_viewer.get(url, HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX)
    assert b"<html" in restored.content


def test_the_filter_form_swaps_results_and_pushes_a_shareable_url(as_viewer, churn_model):
    content = as_viewer.get(reverse("explore")).content.decode()
    assert 'hx-target="#explore-results"' in content and 'hx-push-url="true"' in content
    assert f'action="{reverse("explore")}" method="get"' in content
    # Typing searches from three characters on (or once the box is cleared): static/js/app.js sends
    # "livesearch" then (tests/browser/test_csp.py types); Enter searches anything.
    assert "livesearch changed delay:300ms target:#explore-q" in content
    assert 'data-live-search-from="3"' in content


def test_every_list_state_has_an_empty_state(as_viewer, churn_model):
    assert b"No model matches" in as_viewer.get(reverse("explore"), {"q": "zzz"}).content
    assert b"Nothing to filter by" in as_viewer.get(reverse("explore"), {"q": "zzz"}).content


def test_an_empty_catalogue_says_how_models_arrive(as_viewer):
    assert b"No ML models yet" in as_viewer.get(reverse("explore")).content


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_explore_costs_the_same_number_of_queries_for_3_or_30_models(as_viewer):
    """Session and user (2), search ids (1), 9 facet counts, count, page, 3 prefetches: whatever the catalogue's size.

    The facets counted are service, owner (users and teams in one), tag,
    algorithm, governance (not counted until chosen: no query), and the four
    of model versions and cards, one query each: models with a production
    version, models per lifecycle status, models per alias, models whose card
    has an empty section. Choosing those four filters by subqueries: no query
    more. Each URL is compared with itself: a search costs one query more than
    a filter, and a page with no result skips the page and its 3 prefetches.
    """
    search = 1
    build_catalogue(3, prefix="small")
    pages = {
        reverse("explore") + "?q=model&sort=-updated": 16 + search,
        reverse("explore") + "?tag=Tier-small.T0&owner=small-user0&owner=large-user0": 16,
        reverse("explore") + "?q=nothing-matches&sort=-name": 12 + search,
        reverse("explore") + "?q=model&algorithm=no-such-algorithm": 12 + search,
        reverse("explore") + "?production=yes&status=staging&alias=champion&card=incomplete": 12,
    }
    assert {url: queries_for(as_viewer, url) for url in pages} == pages
    build_catalogue(27, prefix="large")
    assert {url: queries_for(as_viewer, url) for url in pages} == pages


# --- Model versions and cards -------------------------------------------------------------------


@pytest.fixture
def registered(churn_model, fraud_model, owner, editor):
    """churn: version 1 in production as champion, version 2 in development as challenger; fraud: version 1 staging."""
    for number in (1, 2):
        modelversions.save_model_version(churn_model, number, owner)
    modelversions.set_status(churn_model, 1, "production", owner, "Best AUC")
    modelversions.set_alias(churn_model, "champion", 1, owner)
    modelversions.set_alias(churn_model, "challenger", 2, owner)
    modelversions.save_model_version(fraud_model, 1, editor, status="staging")
    modelversions.set_alias(fraud_model, "challenger", 1, editor)
    return churn_model, fraud_model


def facet_values(response, name) -> list:
    return next(f for f in response.context["facets"] if f.name == name).values


def facet(response, name) -> set[tuple[str, int | None, bool]]:
    return {(v.value, v.count, v.selected) for v in facet_values(response, name)}


def test_the_production_facet_keeps_models_with_a_version_in_production(as_viewer, registered):
    response = as_viewer.get(reverse("explore"), {"production": "yes"})
    assert names(response) == ["churn"]
    assert facet(response, "production") == {("yes", 1, True)}
    assert "Has a production version" in response.content.decode()


def test_the_lifecycle_facet_counts_each_model_once_per_status_any_of_its_versions_has(as_viewer, registered):
    response = as_viewer.get(reverse("explore"))
    assert facet(response, "status") == {("production", 1, False), ("development", 1, False), ("staging", 1, False)}
    assert [v.value for v in facet_values(response, "status")] == ["development", "staging", "production"]
    assert names(as_viewer.get(reverse("explore"), {"status": "staging"})) == ["fraud"]
    assert names(as_viewer.get(reverse("explore") + "?status=staging&status=development")) == ["fraud", "churn"]


def test_the_alias_facet_keeps_models_with_the_alias_on_any_version(as_viewer, registered):
    response = as_viewer.get(reverse("explore"), {"alias": "champion"})
    assert names(response) == ["churn"]
    # Counted without its own selection, so a second alias can be added.
    assert facet(response, "alias") == {("champion", 1, True), ("challenger", 2, False)}
    assert names(as_viewer.get(reverse("explore"), {"alias": "challenger"})) == ["fraud", "churn"]


def test_the_card_facet_keeps_models_with_an_empty_or_blank_card_section_as_the_model_page_does(
    as_viewer, registered, owner
):
    churn, fraud = registered
    complete = {name: "Written." for name in CARD_FIELDS} | {"card_risk_rating": "low"}
    mlmodels.update_mlmodel(fraud, owner, **complete)
    mlmodels.update_mlmodel(churn, owner, **complete | {"card_caveats": " \n\t "})
    assert names(as_viewer.get(reverse("explore"), {"card": "incomplete"})) == ["churn"]
    assert [m.name for m in MlModel.objects.all() if m.card_missing()] == ["churn"]
    mlmodels.update_mlmodel(churn, owner, card_caveats="None known.")
    response = as_viewer.get(reverse("explore"), {"card": "incomplete"})
    assert names(response) == [] and facet(response, "card") == {("incomplete", 0, True)}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"production": "yes", "alias": "challenger"}, ["churn"]),
        ({"production": "yes", "owner": "edward"}, []),
        ({"status": "staging", "q": "fraud"}, ["fraud"]),
        ({"alias": "champion", "card": "incomplete"}, ["churn"]),
        ({"status": "no-such-status"}, []),
        ({"production": "no"}, ["fraud", "churn"]),  # not a value of the facet: no filter
    ],
)
def test_the_model_version_facets_combine_with_the_others_and_the_search(as_viewer, registered, params, expected):
    assert names(as_viewer.get(reverse("explore"), params)) == expected


def test_a_hostile_value_chosen_in_a_facet_is_shown_as_text(as_viewer, registered):
    content = as_viewer.get(reverse("explore"), {"alias": HOSTILE, "status": HOSTILE}).content.decode()
    assert HOSTILE not in content and "&lt;script&gt;" in content
