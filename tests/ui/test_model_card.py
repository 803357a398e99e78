"""The model card in the browser: sections edited inline (one history version each), completeness, the printable card."""

import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import CARD_FIELDS, EntityVersion, MlModel
from catalog.services import deletion, mlmodels, modelversions
from tests.ui.conftest import HTMX
from tests.ui.test_pages import HOSTILE_NAMES, hostile_names, injected_markup


def edit_url(model, name):
    return reverse("mlmodel_field_edit", args=[model.pk, name])


def card_url(model):
    return reverse("mlmodel_card", args=[model.pk])


def reload(model):
    return MlModel.objects.get(pk=model.pk)


def history_versions(model):
    return EntityVersion.objects.filter(entity_id=model.pk).count()


def save(client, model, name, value, *, htmx=True):
    payload = {"expected_version": str(model.version), name: value}
    return client.post(edit_url(model, name), payload, **(HTMX if htmx else {}))


def error_next_to(content: str, form_id: str) -> str:
    """Return the text of the error list Django renders with the field ``form_id`` (empty when none)."""
    found = re.search(rf'<ul class="errorlist" id="{form_id}_error">(.*?)</ul>', content, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))) if found else ""


def with_versions(model, actor, *, versions: int, metrics: int, table):
    """Register ``versions`` model versions of ``metrics`` metrics each (two steps of each), trained on ``table``."""
    for number in range(1, versions + 1):
        modelversions.save_model_version(
            model,
            number,
            actor,
            run_id=f"run-{number}",
            metrics=[
                modelversions.MetricSpec(
                    name=f"metric_{i}", value=0.5 + number / 100 + i / 1000, dataset="test", step=step
                )
                for i in range(metrics)
                for step in (1, 2)
            ],
            datasets=[modelversions.DatasetSpec(role="training", table=table, columns=list(table.columns.all()[:2]))],
        )
    modelversions.set_alias(model, "champion", versions, actor)
    return reload(model)


# --- Editing a section -------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", ["as_owner", "as_editor"])
def test_the_owner_or_an_editor_saves_a_card_section_as_one_history_version(request, client_name, churn_model):
    client = request.getfixturevalue(client_name)
    response = save(client, churn_model, "card_intended_use", "Flag **churn risk** for retention calls.")
    model = reload(churn_model)
    assert model.card_intended_use == "Flag **churn risk** for retention calls."
    assert model.version == Decimal("0.2")
    assert history_versions(model) == 1
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="field-card_intended_use" class="field modelcard-section">')
    assert "<strong>churn risk</strong>" in content
    # The version badge, the history and the completeness follow out of band.
    assert 'id="card-completeness" class="modelcard-completeness" hx-swap-oob="true"' in content
    assert "1 of 9 sections filled" in content
    assert "v0.2" in content


def test_the_risk_rating_is_picked_from_the_ratings_and_shown_by_its_label(as_owner, churn_model):
    form = as_owner.get(edit_url(churn_model, "card_risk_rating"), **HTMX).content.decode()
    assert '<select name="card_risk_rating"' in form
    assert [value for value in re.findall(r'<option value="([^"]*)"', form)] == ["", "low", "medium", "high"]
    response = save(as_owner, churn_model, "card_risk_rating", "high")
    assert reload(churn_model).card_risk_rating == "high"
    assert '<span class="chip chip-risk-high">High</span>' in response.content.decode()


def test_without_javascript_a_saved_section_returns_to_the_model_page(as_owner, churn_model):
    response = save(as_owner, churn_model, "card_caveats", "Retrain monthly.", htmx=False)
    assert response.status_code == 302
    assert response["Location"] == reverse("mlmodel", args=[churn_model.pk]) + "#field-card_caveats"
    assert reload(churn_model).card_caveats == "Retrain monthly."


def test_cancel_asks_for_the_section_as_it_is(as_owner, churn_model):
    mlmodels.update_mlmodel(churn_model, "test", card_factors="Region and tenure.")
    form = as_owner.get(edit_url(churn_model, "card_factors"), **HTMX).content.decode()
    assert "?part=field-card_factors" in form
    shown = as_owner.get(reverse("mlmodel", args=[churn_model.pk]), {"part": "field-card_factors"}, **HTMX)
    content = shown.content.decode().strip()
    assert content.startswith('<div id="field-card_factors" class="field modelcard-section">')
    assert "<p>Region and tenure.</p>" in content and "<html" not in content


@pytest.mark.parametrize(
    "value, message",
    [
        ("catastrophically-high", "Must be at most 16 characters."),
        ("extreme", "'extreme' is not one of low, medium, high."),
    ],
)
def test_a_bad_risk_rating_is_refused_next_to_the_field_and_changes_nothing(as_owner, churn_model, value, message):
    response = save(as_owner, churn_model, "card_risk_rating", value)
    content = response.content.decode()
    assert response.status_code == 200
    assert error_next_to(content, "edit-card_risk_rating-card_risk_rating") == message
    assert 'aria-invalid="true"' in content
    model = reload(churn_model)
    assert model.card_risk_rating == "" and history_versions(model) == 0


def test_a_section_with_a_nul_character_is_refused_next_to_the_field(as_owner, churn_model):
    content = save(as_owner, churn_model, "card_intended_use", "before\x00after").content.decode()
    assert error_next_to(content, "edit-card_intended_use-card_intended_use") == "Null characters are not allowed."
    assert history_versions(reload(churn_model)) == 0


# --- Who may edit --------------------------------------------------------------------------------


def test_a_read_only_user_sees_the_card_without_edit_buttons(as_viewer, churn_model):
    mlmodels.update_mlmodel(churn_model, "test", card_intended_use="Retention calls.")
    content = as_viewer.get(reverse("mlmodel", args=[churn_model.pk])).content.decode()
    assert 'id="section-card"' in content and "<p>Retention calls.</p>" in content
    assert all(edit_url(churn_model, name) not in content for name in CARD_FIELDS)


def test_the_owner_sees_an_edit_button_on_every_section(as_owner, churn_model):
    content = as_owner.get(reverse("mlmodel", args=[churn_model.pk])).content.decode()
    assert all(f'href="{edit_url(churn_model, name)}"' in content for name in CARD_FIELDS)


def test_a_read_only_user_is_refused_by_the_server_too(as_viewer, churn_model):
    assert as_viewer.get(edit_url(churn_model, "card_caveats"), **HTMX).status_code == 403
    assert save(as_viewer, churn_model, "card_caveats", "Ignore the card.").status_code == 403
    model = reload(churn_model)
    assert model.card_caveats == "" and history_versions(model) == 0


def test_an_anonymous_visitor_is_sent_to_sign_in_and_nothing_is_saved(client, churn_model):
    response = save(client, churn_model, "card_caveats", "Ignore the card.", htmx=False)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(card_url(churn_model))["Location"].startswith(reverse("login"))
    model = reload(churn_model)
    assert model.card_caveats == "" and history_versions(model) == 0


def test_a_deleted_model_has_a_read_only_card(as_owner, churn_model):
    deletion.delete(churn_model, "test")
    assert save(as_owner, reload(churn_model), "card_caveats", "Too late.").status_code == 403


# --- Completeness ----------------------------------------------------------------------------------


def test_the_model_page_says_how_complete_the_card_is_and_what_is_missing(as_viewer, churn_model):
    mlmodels.update_mlmodel(
        churn_model,
        "test",
        **{
            name: "Written." for name in CARD_FIELDS if name not in ("card_factors", "card_risk_rating", "card_caveats")
        },
    )
    content = as_viewer.get(reverse("mlmodel", args=[churn_model.pk])).content.decode()
    assert '<meter id="card-completeness-meter" min="0" max="9" value="6"' in content
    assert "6 of 9 sections filled" in content
    assert "Missing: factors, caveats and recommendations, risk rating" in content


def test_a_complete_card_lists_nothing_missing(as_viewer, churn_model):
    values = {name: "Written." for name in CARD_FIELDS} | {"card_risk_rating": "low"}
    mlmodels.update_mlmodel(churn_model, "test", **values)
    content = as_viewer.get(reverse("mlmodel", args=[churn_model.pk])).content.decode()
    assert "9 of 9 sections filled" in content and "Missing:" not in content


# --- The printable card ----------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", ["as_owner", "as_viewer"])
def test_the_printable_card_gathers_card_versions_metrics_data_lineage_and_sensitive_paths(
    request, client_name, churn_model, owner, warehouse
):
    client = request.getfixturevalue(client_name)
    mlmodels.update_mlmodel(
        churn_model, "test", card_intended_use="Retention *calls*.", card_risk_rating="medium", description="Churn."
    )
    model = with_versions(reload(churn_model), owner, versions=2, metrics=2, table=warehouse["customers"])
    response = client.get(card_url(model))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1" in content and "churn" in content
    assert "<dt>Owners</dt><dd>Olivia Owner</dd>" in content
    assert "<p>Retention <em>calls</em>.</p>" in content
    assert '<span class="chip chip-risk-medium">Medium</span>' in content
    assert "2 of 9 sections filled" in content and "missing: out-of-scope uses" in content
    assert "Model version 2" in content and "Model version 1" in content
    assert "@champion" in content
    # Only the last step of each metric: version 2's metric_1 is 0.5 + 0.02 + 0.001.
    assert "<td>metric_1</td>" in content and '<td class="num">0.521</td>' in content
    assert content.count("<td>metric_1</td>") == 2
    assert "warehouse.<wbr>analytics.<wbr>public.<wbr>customers" in content
    # The columns feeding the features, sensitive ones marked, and the paths sensitive data takes.
    assert re.search(
        r'<td>gender <span class="chip chip-small chip-sensitive">PII.Sensitive</span></td>\s*<td>persona</td>', content
    )
    assert "Sensitive data reaches this model along these paths:" in content
    assert 'class="printcard-step">customers.birth_date</span>' in content
    assert re.search(r'<link rel="stylesheet" href="/static/css/card\.[0-9a-f]+\.css">', content)


def test_the_card_of_a_model_without_versions_or_sources_says_so(as_viewer, ml_service, owner):
    model = mlmodels.create_mlmodel(ml_service, "bare", owner, algorithm="GLM").entity
    content = as_viewer.get(card_url(model)).content.decode()
    assert "No model versions registered." in content
    assert "No feature sources recorded." in content
    assert "No column or table tagged as sensitive is upstream of this model." in content
    assert "0 of 9 sections filled" in content


def test_the_card_of_an_unknown_model_is_a_404_and_it_only_answers_get(as_viewer, churn_model):
    assert as_viewer.get(reverse("mlmodel_card", args=["00000000-0000-0000-0000-000000000001"])).status_code == 404
    assert as_viewer.post(card_url(churn_model)).status_code == 405


def test_the_model_page_links_to_the_printable_card(as_viewer, churn_model):
    assert (
        f'href="{card_url(churn_model)}"' in as_viewer.get(reverse("mlmodel", args=[churn_model.pk])).content.decode()
    )


def test_the_card_costs_the_same_queries_for_one_version_or_four_of_ten_metrics(
    as_viewer, churn_model, ml_service, owner, warehouse
):
    small = with_versions(churn_model, owner, versions=1, metrics=1, table=warehouse["customers"])
    large = mlmodels.create_mlmodel(
        ml_service,
        "churn-large",
        owner,
        algorithm="XGBoost",
        owners=[owner],
        features=[
            mlmodels.FeatureSpec(
                name=f.name, sources=[mlmodels.SourceSpec(name=s.name, column=s.column) for s in f.sources.all()]
            )
            for f in small.features.all()
        ],
    ).entity
    large = with_versions(large, owner, versions=4, metrics=10, table=warehouse["customers"])
    counts = []
    for model in (small, large):
        with CaptureQueriesContext(connection) as captured:
            assert as_viewer.get(card_url(model)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    # 2: the session and the user.
    # 11: the model, its owners (users, teams), tags, followers, hyperparameters, features with their
    #     tags, sources with their tags, and the tags of the columns they read.
    # 6: the model versions, their aliases, metrics, datasets, the datasets' columns, reviews.
    # 4: the exposure: one query per level upstream of the model (3 here), one for the sensitive tags.
    # 6: the names on the sensitive paths: the model, columns, model versions, features, their model, tables.
    assert counts[1] == 29


# --- Hostile names ---------------------------------------------------------------------------------


@pytest.mark.skipif(not HOSTILE_NAMES.exists(), reason="the shared hostile-names list is not next to the repository")
def test_hostile_names_in_card_text_model_names_and_metric_names_render_as_text(as_owner, owner, ml_service, warehouse):
    names = [name for name in hostile_names() if name.strip() and "::" not in name]
    models = []
    for index, name in enumerate(names):
        model = mlmodels.create_mlmodel(
            ml_service,
            f"h{index}-{name}"[:256],
            owner,
            algorithm=name[:256],
            display_name=name[:256],
            owners=[owner],
            **{field: name for field in CARD_FIELDS if field != "card_risk_rating"},
        ).entity
        modelversions.save_model_version(
            model,
            1,
            owner,
            description=name,
            run_id=name[:256],
            created_by=name[:256],
            metrics=[modelversions.MetricSpec(name=name[:256], value=1.0, dataset=name[:256])],
        )
        models.append(model)
    for model in models:
        for url in (card_url(model), reverse("mlmodel", args=[model.pk])):
            content = as_owner.get(url).content.decode()
            assert injected_markup(content) == [], url
            assert ">49<" not in content, url  # {{ 7*7 }} was not evaluated
        content = as_owner.get(edit_url(model, "card_caveats"), **HTMX).content.decode()
        assert injected_markup(content) == []
    card = as_owner.get(card_url(models[names.index("<script>alert(1)</script>")])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card
