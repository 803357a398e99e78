"""The render layer: Graphviz with a timeout, a cache keyed by the DOT text, and SVG that is safe to inline."""

import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from catalog.services import mlmodels
from lineage import dot, graph, render

needs_graphviz = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
SMALL_DOT = "digraph { a -> b; }"


def svg_texts(root) -> list[str]:
    """Return the text of each node of a Graphviz SVG, its lines joined, as a reader sees it."""
    texts = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "node":
            lines = [(t.text or "").replace("\xa0", " ") for t in group.iter(f"{SVG}text")]
            texts.append("\n".join(lines))
    return texts


@needs_graphviz
def test_hostile_names_reach_the_svg_as_text_only(hostile):
    lineage = graph.build("mlmodel", hostile["model"].id, upstream=1, downstream=1, cap=500)
    rendered = render.render(dot.to_dot(lineage), "svg")
    assert rendered.ok, rendered.error
    root = ET.fromstring(rendered.content)
    for element in root.iter():
        assert element.tag.rsplit("}", 1)[-1] not in {"script", "foreignObject", "iframe"}
        for attribute, value in element.attrib.items():
            assert not attribute.rsplit("}", 1)[-1].lower().startswith("on")
            if attribute.endswith("href"):
                assert value.startswith("/") and not value.startswith("//"), value
                assert "javascript" not in value
    texts = svg_texts(root)
    shown = "\n".join(texts)
    for name in hostile["names"]:
        assert dot.shorten(name) in shown, name
    assert '"><svg onload=alert(1)>\nx" URL="javascript:alert(7)' in texts  # the model: display name, algorithm


@needs_graphviz
def test_every_tooltip_shows_the_kind_and_the_whole_name_exactly(hostile):
    lineage = graph.build("mlmodel", hostile["model"].id, upstream=1, downstream=1, cap=500)
    root = ET.fromstring(render.render(dot.to_dot(lineage), "svg").content)
    tooltips = {
        g.get("id"): a.get(f"{XLINK}title").replace("\xa0", " ")
        for g in root.iter(f"{SVG}g")
        for a in g.iter(f"{SVG}a")
    }
    boards = [node for node in lineage.nodes.values() if node.type == "dashboard"]
    assert len(boards) == len(hostile["names"])
    for board in boards:
        expected = f"dashboard: {board.info.fqn}\nuses sensitive data".replace("\t", " ")  # XML reads a tab as a space
        assert tooltips[f"lineage-dashboard-{board.id.hex}"] == expected


@needs_graphviz
def test_a_name_written_as_markup_or_as_dot_is_drawn_letter_for_letter(ml_service):
    features = [mlmodels.FeatureSpec(name="<b>bold</b>")]  # no data type: the label is the name alone
    model = mlmodels.create_mlmodel(ml_service, 'a" -> "b', "test", algorithm="XGBoost", features=features).entity
    rendered = render.render(dot.to_dot(graph.build("mlmodel", model.id)), "svg")
    assert rendered.ok, rendered.error
    assert sorted(svg_texts(ET.fromstring(rendered.content))) == ["<b>bold</b>", 'a" -> "b\nXGBoost']


@needs_graphviz
def test_the_svg_of_a_model_links_every_node_to_its_page(world):
    lineage = graph.build("mlmodel", world["churn"].id, upstream=1, downstream=1)
    root = ET.fromstring(render.render(dot.to_dot(lineage), "svg").content)
    links = {a.get(f"{XLINK}href") for a in root.iter(f"{SVG}a")}
    assert f"/mlmodels/{world['churn'].id}/" in links
    assert f"/columns/{world['columns']['gender'].id}/" in links
    assert f"/dashboards/{world['dashboard'].id}/" in links


@needs_graphviz
def test_png_renders_with_the_png_signature():
    rendered = render.render(SMALL_DOT, "png")
    assert rendered.ok and rendered.content.startswith(render.PNG_SIGNATURE)


@needs_graphviz
def test_an_identical_graph_reuses_its_render(monkeypatch):
    first = render.render(SMALL_DOT, "svg")
    assert first.ok and not first.cached

    def no_graphviz(*args, **kwargs):
        raise AssertionError("Graphviz ran again for a cached graph")

    monkeypatch.setattr(subprocess, "run", no_graphviz)
    second = render.render(SMALL_DOT, "svg")
    assert second.cached and second.content == first.content


def test_a_different_graph_or_format_has_its_own_cache_entry():
    assert render.cache_key(SMALL_DOT, "svg") != render.cache_key(SMALL_DOT + " ", "svg")
    assert render.cache_key(SMALL_DOT, "svg") != render.cache_key(SMALL_DOT, "png")


def test_graphviz_missing_gives_a_message_instead_of_a_diagram(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    rendered = render.render(SMALL_DOT, "svg")
    assert not rendered.ok and "Graphviz is not installed" in rendered.error


def test_a_layout_over_the_time_limit_gives_a_message_and_is_not_retried_at_once(monkeypatch, settings):
    settings.GRAPHVIZ_TIMEOUT = 3
    calls = []

    def too_slow(command, **kwargs):
        calls.append(kwargs["timeout"])
        raise subprocess.TimeoutExpired(command, kwargs["timeout"])

    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/dot")
    monkeypatch.setattr(subprocess, "run", too_slow)
    rendered = render.render(SMALL_DOT, "svg")
    assert not rendered.ok and "longer than 3 seconds" in rendered.error
    assert calls == [3]
    again = render.render(SMALL_DOT, "svg")
    assert again.error == rendered.error and calls == [3]


@needs_graphviz
def test_text_graphviz_cannot_read_gives_a_message():
    rendered = render.render("digraph { a -> ", "svg")
    assert not rendered.ok and "could not draw" in rendered.error


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            b'<a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'
        ),
        b'<svg xmlns="http://www.w3.org/2000/svg"><a href="//evil.example/"><text>x</text></a></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div>x</div></foreignObject></svg>',
        b"<svg",
    ],
)
def test_the_svg_check_refuses_scripts_handlers_and_foreign_links(svg):
    assert not render.is_safe_svg(svg)


def test_the_svg_check_accepts_site_links():
    assert render.is_safe_svg(
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<a xlink:href="/mlmodels/1/"><text>x</text></a></svg>'
    )
