"""The template filters that stand between stored text and the page."""

from django.template.loader import render_to_string

from pages.templatetags.catalog import breakable, excerpt, markdown, safe_url, version


def test_markdown_keeps_formatting_and_drops_scripts_images_and_script_links():
    html = markdown("# T\n\n**b** [x](javascript:alert(1)) ![i](https://e.com/i.png) <script>x</script>")
    assert "<h1>T</h1>" in html and "<strong>b</strong>" in html
    assert "javascript:" not in html.replace("[x](javascript:alert(1))", "")
    assert "<img" not in html and "<script>" not in html


def test_safe_url_lets_only_absolute_http_links_through():
    assert safe_url("https://example.com/x") == "https://example.com/x"
    assert safe_url("javascript:alert(1)") == ""
    assert safe_url("//evil.example.com") == ""
    assert safe_url("data:text/html,x") == ""


def test_excerpt_is_plain_text_cut_to_length():
    assert excerpt("**Bold** & <i>x</i>\n\n- a\n- b") == "Bold & <i>x</i> a b"
    assert excerpt("word " * 100, 20) == "word word word word…"


def test_versions_show_one_decimal():
    assert version("1.10") == "1.1" and version(2) == "2.0" and version(None) == ""


def test_the_500_page_renders_without_a_request_or_a_database(db):
    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html and "nothing was half-saved" in html


def test_breakable_escapes_a_name_and_lets_it_wrap_after_dots():
    assert breakable('a.<b>."c"') == "a.<wbr>&lt;b&gt;.<wbr>&quot;c&quot;"
