"""Model version pages: the model page's summary, a version's page and its forms, compare and the metric chart."""

import pytest
from django.urls import reverse

from catalog.models import ModelVersion
from catalog.services import modelversions
from catalog.services.modelversions import MetricSpec
from lineage.links import node_url
from tests.ui.conftest import HTMX

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def versions(churn_model, owner):
    for number, auc in ((1, 0.81), (2, 0.84)):
        modelversions.save_model_version(
            churn_model,
            number,
            owner,
            parameters={"eta": str(number), HOSTILE: "x"},
            metrics=[MetricSpec(name="auc", value=auc), MetricSpec(name=HOSTILE, value=auc)],
        )
    modelversions.set_status(churn_model, 1, "production", owner, "Best AUC")
    modelversions.set_alias(churn_model, "champion", 1, owner)
    return churn_model


def test_the_model_page_shows_what_is_in_production_and_the_versions(as_viewer, versions):
    content = as_viewer.get(reverse("mlmodel", args=[versions.pk])).content.decode()
    assert "Model version 1" in content and "approved by" in content and "Best AUC" in content
    assert 'id="model-version-2"' in content
    assert HOSTILE not in content


def test_an_owner_moves_an_alias_in_one_step(as_owner, versions):
    response = as_owner.post(reverse("model_version_alias", args=[versions.pk, 2]), {"alias": "champion"}, **HTMX)
    assert "moved from version 1" in response.content.decode()
    assert ModelVersion.objects.get(model=versions, number=2).aliases.get().name == "champion"


def test_a_read_only_user_sees_no_form_and_is_refused(as_viewer, versions):
    content = as_viewer.get(reverse("model_version", args=[versions.pk, 2])).content.decode()
    assert 'id="alias-form"' not in content and HOSTILE not in content
    response = as_viewer.post(reverse("model_version_alias", args=[versions.pk, 2]), {"alias": "champion"})
    assert response.status_code == 403


def test_an_editor_requests_approval_and_the_owner_approves(as_editor, versions, owner, client):
    as_editor.post(reverse("model_version_status", args=[versions.pk, 2]), {"status": "production"}, **HTMX)
    assert ModelVersion.objects.get(model=versions, number=2).status == "development"
    client.force_login(owner)
    client.post(reverse("model_version_review", args=[versions.pk, 2]), {"decision": "approve"}, **HTMX)
    assert ModelVersion.objects.get(model=versions, number=2).status == "production"


def test_compare_highlights_the_best_and_the_chart_escapes_names(as_viewer, versions):
    content = as_viewer.get(reverse("model_version_compare", args=[versions.pk]) + "?v=1&v=2").content.decode()
    assert 'class="cell-best"' in content and HOSTILE not in content
    assert as_viewer.get(reverse("model_version_compare", args=[versions.pk]) + "?v=1").status_code == 400
    svg = as_viewer.get(reverse("model_metric_chart", args=[versions.pk, HOSTILE]) + "?v=1&v=2")
    assert svg["Content-Type"].startswith("image/svg+xml") and b"<script" not in svg.content


def test_a_lineage_link_to_a_model_version_reaches_its_page(as_viewer, versions):
    version = ModelVersion.objects.get(model=versions, number=2)
    response = as_viewer.get(node_url("modelVersion", version.pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("model_version", args=[versions.pk, 2])
