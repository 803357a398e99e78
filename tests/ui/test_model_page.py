"""The ML model page: header, features with their sources, hyperparameters, details, lineage and versions."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.services import mlmodels
from tests.ui.builders import build_catalogue
from tests.ui.conftest import HTMX


def page(client, model):
    response = client.get(reverse("mlmodel", args=[model.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_header_shows_name_fqn_algorithm_version_owners_tags_and_followers(as_viewer, churn_model, pii, owner):
    model = mlmodels.update_mlmodel(
        churn_model, "test", display_name="Customer churn", tags=[pii["sensitive"]], followers=[owner]
    ).entity
    content = page(as_viewer, model)
    assert "<h1>Customer churn</h1>" in content
    assert "<code>mlflow-prod.churn</code>" in content
    assert '<span class="chip chip-algorithm">XGBoost</span>' in content
    assert "v0.2" in content
    assert f'href="{reverse("user", args=[owner.pk])}">Olivia Owner</a>' in content
    assert f'href="{reverse("tag", args=[pii["sensitive"].pk])}">PII.Sensitive</a>' in content
    assert "1 follower<" in content
    assert "☆ Follow" in content


def test_features_show_type_algorithm_tags_and_sources_linked_to_their_table_and_column(
    as_viewer, churn_model, warehouse
):
    content = page(as_viewer, churn_model)
    customers = warehouse["customers"]
    gender = customers.columns.get(name="gender")
    assert '<h3 id="feature-' in content and ">persona</h3>" in content
    assert '<span class="chip chip-type">categorical</span>' in content
    assert 'title="Feature algorithm">PCA</span>' in content
    assert (
        f'<a href="{reverse("table", args=[customers.pk])}">warehouse.<wbr>analytics.<wbr>public.<wbr>customers</a>'
        in content
    )
    assert f'<a href="{reverse("column", args=[gender.pk])}">gender</a>' in content
    assert "chip-sensitive" in content  # gender carries PII.Sensitive


def test_hyperparameters_and_details_are_listed(as_viewer, churn_model, dashboard):
    model = mlmodels.update_mlmodel(
        churn_model,
        "test",
        server="https://serve.example.com/churn",
        ml_store_storage="s3://models/churn.pkl",
        ml_store_image="registry/churn:3",
        dashboard=dashboard,
    ).entity
    content = page(as_viewer, model)
    assert "<td><code>max_depth</code></td>" in content and "<td><code>6</code></td>" in content
    assert "<code>churned</code>" in content  # target
    assert 'href="https://serve.example.com/churn" rel="noopener noreferrer"' in content
    assert "s3://models/churn.pkl" in content and "registry/churn:3" in content
    assert f'<a href="{reverse("dashboard", args=[dashboard.pk])}">churn-monitoring</a>' in content
    assert 'href="https://bi.example.com/d/1"' in content
    assert f'href="{reverse("service", args=[model.service_id])}">mlflow-prod</a>' in content


def test_the_lineage_section_includes_the_lineage_template(as_viewer, churn_model):
    content = page(as_viewer, churn_model)
    assert 'id="section-lineage"' in content and 'id="lineage-heading"' in content


def test_the_versions_section_says_who_changed_what_and_when_with_a_diff(as_viewer, churn_model, editor):
    model = mlmodels.update_mlmodel(churn_model, editor, algorithm="LightGBM").entity
    content = page(as_viewer, model)
    assert "v1.1" in content and "Changed algorithm" in content
    assert '<del class="diff-old"><span class="visually-hidden">Before: </span>XGBoost</del>' in content
    assert '<ins class="diff-new"><span class="visually-hidden">After: </span>LightGBM</ins>' in content
    assert f'href="{reverse("user", args=[editor.pk])}">edward</a>' in content
    assert "Created" in content  # version 0.1


def test_a_description_is_rendered_from_markdown_and_sanitised(as_viewer, churn_model):
    model = mlmodels.update_mlmodel(
        churn_model,
        "test",
        description="**Bold** [ok](https://example.com) [bad](javascript:alert(1)) <script>alert(1)</script>"
        "<img src=x onerror=alert(1)>",
    ).entity
    content = page(as_viewer, model)
    assert "<strong>Bold</strong>" in content
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">ok</a>' in content
    assert "javascript:" not in content.split('id="field-description"')[1].split("</section>")[0].replace(
        "[bad](javascript:alert(1))", ""
    )
    assert "<script>alert(1)</script>" not in content
    assert "<img" not in content.split('id="field-description"')[1].split("</section>")[0]


def test_an_htmx_request_for_a_part_gets_only_that_fragment(as_viewer, churn_model):
    url = reverse("mlmodel", args=[churn_model.pk])
    for part in ("field-tags", "field-server", "section-features", "section-hyperparameters", "section-versions"):
        response = as_viewer.get(url, {"part": part}, **HTMX)
        content = response.content.decode().strip()
        assert (
            "<html" not in content
            and content.split(">")[0].endswith(f'id="{part}" class="field fact"')
            or f'id="{part}"' in content.split(">")[0]
        ), part
    assert b"<html" in as_viewer.get(url, {"part": "section-features"}).content
    assert b"<html" in as_viewer.get(url, {"part": "not-a-part"}, **HTMX).content


def test_an_unknown_model_is_a_404(as_viewer, db):
    assert as_viewer.get("/mlmodels/6b1e3f36-1111-4a7a-9d0e-000000000000/").status_code == 404


def test_the_model_page_costs_the_same_number_of_queries_for_a_small_or_a_large_catalogue(as_editor):
    """The model's own rows are prefetched; nothing is read per feature, source, owner or version."""
    small_model = build_catalogue(1, prefix="small")[0]
    url = reverse("mlmodel", args=[small_model.pk])
    with CaptureQueriesContext(connection) as small:
        as_editor.get(url)
    large_model = build_catalogue(20, prefix="large")[-1]
    # The large model has more of everything: features, sources, hyperparameters, owners and versions.
    column = large_model.features.first().sources.first().column
    specs = [
        mlmodels.FeatureSpec(name=f"extra{i}", sources=[mlmodels.SourceSpec(name=f"s{i}", column=column)])
        for i in range(10)
    ]
    large_model = mlmodels.update_mlmodel(large_model, "test", features=specs).entity
    for i in range(6):
        large_model = mlmodels.update_mlmodel(large_model, "test", description=f"v{i}").entity
    with CaptureQueriesContext(connection) as large:
        as_editor.get(reverse("mlmodel", args=[large_model.pk]))
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]
