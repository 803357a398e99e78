"""The forms of a model version's page, tried by each persona, and hostile names on the version, compare and chart."""

import html
import re
import xml.etree.ElementTree as ET
from urllib.parse import quote, urlsplit

import pytest
from django.urls import reverse

from catalog.models import EntityVersion, ModelAlias, ModelVersion, ModelVersionReview, User
from catalog.services import modelversions
from catalog.services.modelversions import MetricSpec
from tests.ui.conftest import HTMX
from tests.ui.test_pages import HOSTILE_NAMES, hostile_names, injected_markup


@pytest.fixture
def versions(churn_model, owner, editor):
    """Version 1 is the champion in production; version 2 waits for an approval to production."""
    for number in (1, 2):
        modelversions.save_model_version(churn_model, number, owner, metrics=[MetricSpec(name="auc", value=number)])
    modelversions.set_status(churn_model, 1, "production", owner, "Best AUC")
    modelversions.set_alias(churn_model, "champion", 1, owner)
    modelversions.request_status(churn_model, 2, "production", editor, "Beats version 1")
    return churn_model


def state(model) -> tuple:
    """What a form could write: the model's history, aliases, statuses and reviews."""
    return (
        EntityVersion.objects.filter(entity_id=model.pk).count(),
        sorted(ModelAlias.objects.filter(model=model).values_list("name", "version__number")),
        sorted(ModelVersion.objects.filter(model=model).values_list("number", "status")),
        sorted(
            ModelVersionReview.objects.filter(version__model=model).values_list("version__number", "decision", "open")
        ),
    )


FORMS = [
    ("model_version_alias", {"alias": "champion"}),
    ("model_version_status", {"status": "production", "reason": "Now"}),
    ("model_version_review", {"decision": "approve", "reason": "Fine"}),
]


@pytest.mark.parametrize("view, data", FORMS)
def test_a_signed_out_visitor_is_sent_to_sign_in_and_nothing_is_written(client, versions, view, data):
    before = state(versions)
    url = reverse(view, args=[versions.pk, 2])
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == f"{reverse('login')}?next={quote(url)}"
    assert state(versions) == before


@pytest.mark.parametrize("view, data", FORMS)
def test_a_read_only_user_is_refused_and_nothing_is_written(as_viewer, versions, view, data):
    before = state(versions)
    assert as_viewer.post(reverse(view, args=[versions.pk, 2]), data, **HTMX).status_code == 403
    assert state(versions) == before


def test_an_approver_who_does_not_own_the_model_approves_the_open_request(client, versions, viewer):
    viewer.is_approver = True
    viewer.save()
    client.force_login(User.objects.get(pk=viewer.pk))
    page = client.get(reverse("model_version", args=[versions.pk, 2])).content.decode()
    assert 'id="review-form"' in page and 'id="alias-form"' not in page  # approving is not editing
    response = client.post(
        reverse("model_version_review", args=[versions.pk, 2]), {"decision": "approve", "reason": "Checked"}, **HTMX
    )
    assert "Version 2 approved." in response.content.decode()
    version = ModelVersion.objects.get(model=versions, number=2)
    assert version.status == "production"
    assert version.reviews.get(decision="approved").reviewer == viewer


def test_rejecting_without_a_reason_shows_the_error_next_to_the_reason_and_writes_nothing(as_owner, versions):
    before = state(versions)
    response = as_owner.post(reverse("model_version_review", args=[versions.pk, 2]), {"decision": "reject"}, **HTMX)
    content = response.content.decode()
    assert response.status_code == 200
    assert '<ul class="errorlist" id="review-reason_error"><li>Say why the version is rejected.</li></ul>' in content
    assert 'aria-describedby="review-reason_helptext review-reason_error" id="review-reason"' in content
    assert state(versions) == before


# --- Hostile names ---------------------------------------------------------------------------------


def usable(names) -> list[str]:
    """The names the write path takes as metric and parameter names (not blank, no '::', at most 256 characters)."""
    return [name[:256] for name in names if name.strip() and "::" not in name]


@pytest.fixture
def hostile_versions(churn_model, owner):
    names = usable(hostile_names())
    for number in (1, 2):
        modelversions.save_model_version(
            churn_model,
            number,
            owner,
            parameters={name: name for name in names},
            metrics=[MetricSpec(name=name, value=number * (i + 1), dataset=name) for i, name in enumerate(names)],
        )
    return churn_model, names


@pytest.mark.skipif(not HOSTILE_NAMES.exists(), reason="the shared hostile-names list is not next to the repository")
def test_hostile_metric_and_parameter_names_render_as_text_on_the_version_and_compare_pages(as_owner, hostile_versions):
    model, names = hostile_versions
    pages = [
        reverse("model_version", args=[model.pk, 1]),
        reverse("model_version_compare", args=[model.pk]) + "?v=1&v=2",
        reverse("mlmodel", args=[model.pk]),
    ]
    for url in pages:
        response = as_owner.get(url)
        content = response.content.decode()
        assert response.status_code == 200, url
        # The scanner flags an image not served from /static/: the compare page's chart, and nothing else.
        assert injected_markup(content) == (["img"] if "compare" in url else []), url
        assert "<script>alert(1)" not in content and ">49<" not in content, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content, url


@pytest.mark.skipif(not HOSTILE_NAMES.exists(), reason="the shared hostile-names list is not next to the repository")
def test_each_hostile_metric_name_charts_as_well_formed_svg_with_the_name_as_text(as_owner, hostile_versions):
    """The chart is fetched at the URL the compare page gives its image, so a name with '/' or '..' reaches it too."""
    model, names = hostile_versions
    compare = reverse("model_version_compare", args=[model.pk])
    for name in names:
        page = as_owner.get(compare, {"v": [1, 2], "metric": name}, **HTMX).content.decode()
        if "\n" in name:
            assert "holds a line break" in page and "<img" not in page  # the route cannot match one
            continue
        src = html.unescape(re.search(r'<img class="metric-chart" src="([^"]+)"', page).group(1))
        segments = urlsplit(src).path.split("/")
        assert not {".", ".."} & set(segments) and "#" not in src, name  # nothing a browser would shorten or cut off
        svg = as_owner.get(src)
        assert svg["Content-Type"].startswith("image/svg+xml"), name
        root = ET.fromstring(svg.content)  # an attribute broken open would not parse
        elements = list(root.iter())
        assert not [e for e in elements if e.tag.endswith(("script", "foreignObject"))], name
        assert not [a for e in elements for a in e.attrib if a.lower().startswith("on")], name
        assert root.get("aria-label") == re.sub(r"[\t\n\r]", " ", name)  # XML reads those as spaces in attributes
        assert root.find("{http://www.w3.org/2000/svg}title").text == name
        assert len(root.findall(".//{http://www.w3.org/2000/svg}rect")) == 3, name  # the background and two bars


@pytest.mark.skipif(not HOSTILE_NAMES.exists(), reason="the shared hostile-names list is not next to the repository")
def test_every_hostile_name_as_an_alias_is_refused_next_to_the_field_and_shown_as_text(as_owner, hostile_versions):
    model, _ = hostile_versions
    for name in hostile_names():
        response = as_owner.post(reverse("model_version_alias", args=[model.pk, 1]), {"alias": name}, **HTMX)
        content = response.content.decode()
        assert response.status_code == 200, name
        assert injected_markup(content) == [], name
        assert "<script>alert(1)" not in content, name
        if ModelAlias.objects.filter(model=model, name=name.strip()).exists():
            assert "now points at version 1" in content, name
        else:
            assert 'class="errorlist"' in content, name
