"""Home, following, and the pages of tables, columns, dashboards, people, tags and services."""

import ast
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from catalog.models import Column, EntityVersion, MlModel, Team
from catalog.services import mlmodels
from tests.conftest import make
from tests.ui.conftest import HTMX

HOSTILE_NAMES = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "hostile-names.txt"


# --- Home -----------------------------------------------------------------------------------------


def test_home_has_a_search_box_counts_and_recent_changes(as_viewer, churn_model, dashboard):
    content = as_viewer.get(reverse("home")).content.decode()
    assert f'<form class="hero-search" action="{reverse("explore")}" method="get" role="search">' in content
    assert '<span class="stat-count">1</span><span class="stat-label">ML models</span>' in content
    assert '<span class="stat-count">2</span><span class="stat-label">Features</span>' in content
    assert '<span class="stat-count">1</span><span class="stat-label">Dashboards</span>' in content
    assert f'<a href="{reverse("mlmodel", args=[churn_model.pk])}">churn</a>' in content


def test_home_lists_the_models_a_user_owns_directly_through_a_team_or_follows(client, churn_model, ml_service, viewer):
    team = make(Team(name="risk"))
    team.users.add(viewer)
    via_team = mlmodels.create_mlmodel(ml_service, "scoring", "test", algorithm="GLM", owners=[team]).entity
    followed = mlmodels.create_mlmodel(ml_service, "fraud", "test", algorithm="GLM", followers=[viewer]).entity
    mlmodels.create_mlmodel(ml_service, "other", "test", algorithm="GLM")
    client.force_login(viewer)
    assert [m.name for m in client.get(reverse("home")).context["mine"]] == [followed.name, via_team.name]


def test_home_says_what_to_do_when_the_user_has_no_model(as_viewer, db):
    content = as_viewer.get(reverse("home")).content.decode()
    assert "You neither own nor follow a model yet." in content and "No ML models yet." in content


# --- Following ------------------------------------------------------------------------------------


def test_any_signed_in_user_follows_and_unfollows_without_making_a_version(as_viewer, churn_model, viewer):
    url = reverse("mlmodel_follow", args=[churn_model.pk])
    response = as_viewer.post(url, {"follow": "1"}, **HTMX)
    model = MlModel.objects.get(pk=churn_model.pk)
    assert list(model.followers.all()) == [viewer]
    assert not EntityVersion.objects.filter(entity_id=model.pk).exists()
    content = response.content.decode()
    assert content.lstrip().startswith('<form id="follow"') and "★ Following" in content and "1 follower<" in content
    as_viewer.post(url, {"follow": "0"}, **HTMX)
    assert not MlModel.objects.get(pk=churn_model.pk).followers.exists()


def test_following_twice_changes_nothing(as_viewer, churn_model):
    url = reverse("mlmodel_follow", args=[churn_model.pk])
    as_viewer.post(url, {"follow": "1"})
    response = as_viewer.post(url, {"follow": "1"})
    assert response.status_code == 302
    assert MlModel.objects.get(pk=churn_model.pk).followers.count() == 1
    assert not EntityVersion.objects.filter(entity_id=churn_model.pk).exists()


def test_following_needs_a_post(as_viewer, churn_model):
    assert as_viewer.get(reverse("mlmodel_follow", args=[churn_model.pk])).status_code == 405


# --- Tables and columns ---------------------------------------------------------------------------


def test_a_table_lists_its_columns_with_tags_and_the_features_and_models_using_each(as_viewer, churn_model, warehouse):
    customers = warehouse["customers"]
    content = as_viewer.get(reverse("table", args=[customers.pk])).content.decode()
    gender = customers.columns.get(name="gender")
    assert f'<a href="{reverse("column", args=[gender.pk])}"><code>gender</code></a>' in content
    assert "PII.Sensitive" in content
    persona = churn_model.features.get(name="persona")
    assert f'{reverse("mlmodel", args=[churn_model.pk])}#feature-{persona.pk}">churn › persona</a>' in content
    assert "Not used" in content  # customer_id feeds nothing
    assert f'<a href="{reverse("mlmodel", args=[churn_model.pk])}">churn</a>' in content


def test_a_column_page_lists_the_features_reading_it(as_viewer, churn_model):
    gender = Column.objects.get(name="gender")
    content = as_viewer.get(reverse("column", args=[gender.pk])).content.decode()
    assert "<code>warehouse.analytics.public.customers.gender</code>" in content
    assert ">persona</a>" in content
    unused = Column.objects.get(name="customer_id")
    assert "No feature reads this column." in as_viewer.get(reverse("column", args=[unused.pk])).content.decode()


def test_the_table_list_searches_and_pages_with_htmx(as_viewer, churn_model, warehouse):
    full = as_viewer.get(reverse("table_list"), {"q": "cust"})
    assert b"<html" in full.content and b"warehouse.analytics.public.customers" in full.content
    partial = as_viewer.get(reverse("table_list"), {"q": "nothing"}, **HTMX).content.decode()
    assert partial.lstrip().startswith('<section id="results"') and "No table matches “nothing”." in partial


# --- Dashboards, people, tags, services -----------------------------------------------------------


def test_a_dashboard_lists_the_models_it_monitors_and_links_out_safely(as_viewer, churn_model, dashboard):
    mlmodels.update_mlmodel(churn_model, "test", dashboard=dashboard)
    content = as_viewer.get(reverse("dashboard", args=[dashboard.pk])).content.decode()
    assert 'href="https://bi.example.com/d/1" rel="noopener noreferrer"' in content
    assert f'<a href="{reverse("mlmodel", args=[churn_model.pk])}">churn</a>' in content
    assert b"churn-monitoring" in as_viewer.get(reverse("dashboard_list")).content


def test_a_user_page_shows_teams_and_what_they_own_and_follow(as_viewer, churn_model, owner, viewer):
    team = make(Team(name="data-science"))
    team.users.add(owner)
    mlmodels.update_mlmodel(churn_model, "test", followers=[owner])
    content = as_viewer.get(reverse("user", args=[owner.pk])).content.decode()
    assert "Olivia Owner" in content and ">data-science</a>" in content
    assert content.count(f'href="{reverse("mlmodel", args=[churn_model.pk])}"') == 2  # owned and followed
    assert "Owns no table." in content
    empty = as_viewer.get(reverse("user", args=[viewer.pk])).content.decode()
    assert "Owns no ML model." in empty and "Follows no ML model." in empty


def test_a_team_page_shows_members_and_what_the_team_owns(as_viewer, churn_model, owner):
    team = make(Team(name="data-science"))
    team.users.add(owner)
    mlmodels.update_mlmodel(churn_model, "test", owners=[team])
    content = as_viewer.get(reverse("team", args=[team.pk])).content.decode()
    assert ">Olivia Owner</a>" in content and f'href="{reverse("mlmodel", args=[churn_model.pk])}"' in content
    people = as_viewer.get(reverse("people"), {"q": "data"}).content.decode()
    assert ">data-science</a>" in people and "Nobody matches “data”." in people


def test_a_tag_page_lists_everything_carrying_it(as_viewer, churn_model, pii):
    mlmodels.update_mlmodel(churn_model, "test", tags=[pii["sensitive"]])
    content = as_viewer.get(reverse("tag", args=[pii["sensitive"].pk])).content.decode()
    assert f'href="{reverse("mlmodel", args=[churn_model.pk])}"' in content
    assert ">customers.gender</a>" in content and ">customers.birth_date</a>" in content
    assert "No dashboard carries this tag." in content
    listing = as_viewer.get(reverse("tag_list")).content.decode()
    assert ">PII.Sensitive</a>" in listing and "1 model<" in listing


def test_a_service_page_shows_what_it_holds_with_secrets_masked(as_viewer, churn_model, warehouse, dashboard):
    service = warehouse["service"]
    service.connection = {"hostPort": "db:5432", "password": "hunter2"}
    service.save()
    content = as_viewer.get(reverse("service", args=[service.pk])).content.decode()
    assert "hunter2" not in content and "********" in content
    assert ">customers</a>" in content
    ml = as_viewer.get(reverse("service", args=[churn_model.service_id])).content.decode()
    assert f'href="{reverse("mlmodel", args=[churn_model.pk])}"' in ml
    bi = as_viewer.get(reverse("service", args=[dashboard.service_id])).content.decode()
    assert ">churn-monitoring</a>" in bi
    listing = as_viewer.get(reverse("service_list")).content.decode()
    assert "mlflow-prod" in listing and "warehouse" in listing and "superset" in listing
    assert as_viewer.get(reverse("service", args=[churn_model.pk])).status_code == 404


def test_empty_lists_say_so(as_viewer, db):
    assert b"No tables yet." in as_viewer.get(reverse("table_list")).content
    assert b"No dashboards yet." in as_viewer.get(reverse("dashboard_list")).content
    assert b"No tags yet" in as_viewer.get(reverse("tag_list")).content
    assert b"None yet." in as_viewer.get(reverse("service_list")).content
    assert b"No teams yet." in as_viewer.get(reverse("people")).content


# --- Suggestions ----------------------------------------------------------------------------------


def test_pickers_suggest_tags_owners_dashboards_and_tables(as_viewer, churn_model, dashboard, pii, warehouse):
    assert b'<option value="PII.Sensitive">' in as_viewer.get(reverse("autocomplete_tags"), {"add_tag": "sens"}).content
    owners = as_viewer.get(reverse("autocomplete_owners"), {"add_owner": "oli"}).content.decode()
    assert '<option value="olivia">Olivia Owner · user</option>' in owners
    assert (
        b"superset.churn-monitoring"
        in as_viewer.get(reverse("autocomplete_dashboards"), {"dashboard": "churn"}).content
    )
    tables = as_viewer.get(reverse("autocomplete_tables"), {"table": "cust"}).content.decode()
    assert '<option value="warehouse.analytics.public.customers">' in tables


# --- Hostile names --------------------------------------------------------------------------------


class MarkupScanner(HTMLParser):
    """Collect every element or attribute a name could have smuggled into a page."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in ("b", "iframe", "object", "embed") or (tag == "script" and not values.get("src")):
            self.found.append(tag)
        if tag == "img" and not (values.get("src") or "").startswith("/static/"):
            self.found.append("img")
        for name, value in attrs:
            if name.startswith("on") or name in ("url", "k"):
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "hx-get", "hx-post") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"{tag}[{name}={value}]")


def injected_markup(content: str) -> list[str]:
    scanner = MarkupScanner()
    scanner.feed(content)
    return scanner.found


def hostile_names() -> list[str]:
    lines = HOSTILE_NAMES.read_text(encoding="utf-8").splitlines()
    return [ast.literal_eval(line) for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.skipif(not HOSTILE_NAMES.exists(), reason="the shared hostile-names list is not next to the repository")
def test_hostile_names_render_as_plain_text_on_every_page(as_owner, owner, ml_service, warehouse, pii):
    """Names with markup, quotes, template syntax or bidi controls show as text, never as markup."""
    column = warehouse["customers"].columns.get(name="gender")
    created = []
    for index, name in enumerate(hostile_names()):
        if not name.strip() or "::" in name:
            continue  # blank names and '::' are refused by the write path itself
        model = mlmodels.create_mlmodel(
            ml_service,
            f"h{index}-{name}"[:256],
            owner,
            algorithm=name[:256],
            display_name=name[:256],
            description=name,
            owners=[owner],
            features=[
                mlmodels.FeatureSpec(
                    name=name[:256],
                    feature_algorithm=name[:256],
                    sources=[mlmodels.SourceSpec(name=name[:256], column=column)],
                )
            ],
            hyperparameters=[mlmodels.HyperParameterSpec(name=name[:256], value=name[:1024])],
        ).entity
        model = mlmodels.update_mlmodel(model, owner, target=name[:256]).entity
        created.append(model)
    pages = [
        reverse("explore"),
        reverse("home"),
        reverse("column", args=[column.pk]),
        reverse("table", args=[column.table_id]),
        reverse("user", args=[owner.pk]),
    ]
    for model in created:
        pages += [
            reverse("mlmodel", args=[model.pk]),
            reverse("mlmodel_history", args=[model.pk]),
            reverse("mlmodel_field_edit", args=[model.pk, "algorithm"]),
        ]
    for url in pages:
        content = as_owner.get(url).content.decode()
        assert injected_markup(content) == [], url
        assert ">49<" not in content, url  # {{ 7*7 }} was not evaluated
    explore = as_owner.get(reverse("explore"), {"q": "<script>"}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in explore


def test_the_markup_scanner_catches_what_a_name_could_inject():
    assert injected_markup('<p x="1">ok</p><a href="/x">fine</a>') == []
    assert injected_markup('<img src=x onerror=alert(1)><svg onload=alert(1)><a href="javascript:x">') == [
        "img",
        "img[onerror]",
        "svg[onload]",
        "a[href=javascript:x]",
    ]


def test_table_column_and_dashboard_pages_show_their_lineage(as_viewer, churn_model, dashboard):
    column = Column.objects.get(name="gender")
    for url in (
        reverse("table", args=[column.table_id]),
        reverse("column", args=[column.pk]),
        reverse("dashboard", args=[dashboard.pk]),
    ):
        assert b'id="section-lineage"' in as_viewer.get(url).content, url


def test_a_busy_column_lists_its_first_readers_on_the_table_page_and_all_on_its_own_page(
    as_viewer, churn_model, ml_service, warehouse
):
    gender = Column.objects.get(name="gender")
    for i in range(7):
        mlmodels.create_mlmodel(
            ml_service,
            f"reader{i}",
            "test",
            algorithm="GLM",
            features=[mlmodels.FeatureSpec(name="g", sources=[mlmodels.SourceSpec(name="gender", column=gender)])],
        )
    table_page = as_viewer.get(reverse("table", args=[gender.table_id])).content.decode()
    assert f'<a class="small" href="{reverse("column", args=[gender.pk])}">All 8 features →</a>' in table_page
    assert table_page.count("› g</a>") == 4 and "churn › persona</a>" in table_page  # the first 5, by model name
    column_page = as_viewer.get(reverse("column", args=[gender.pk]))
    assert column_page.context["page"].paginator.count == 8


def test_long_related_lists_are_cut_and_counted(as_viewer, ml_service, pii):
    for i in range(52):
        mlmodels.create_mlmodel(ml_service, f"m{i:02}", "test", algorithm="GLM", tags=[pii["sensitive"]])
    tag_page = as_viewer.get(reverse("tag", args=[pii["sensitive"].pk])).content.decode()
    assert tag_page.count('class="model-card"') == 50 and "And 2 more models." in tag_page
    service_page = as_viewer.get(reverse("service", args=[ml_service.pk]))
    assert len(service_page.context["page"].object_list) == 20 and b'rel="next"' in service_page.content
