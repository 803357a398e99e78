"""Template filters of the browser catalogue: Markdown, safe links, versions, owners."""

import html
from decimal import Decimal
from urllib.parse import urlsplit

import nh3
from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

from catalog.models import Team

register = template.Library()

# Raw HTML in a description is shown as text, and whatever the renderer makes
# is sanitised again: the renderer is not trusted to be the last line.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").enable("strikethrough")
#: Tags a rendered description may keep. Images are left out: an image URL in a
#: description would make every reader's browser call an outside server.
MARKDOWN_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}


@register.filter(is_safe=True)
def markdown(text) -> str:
    """Render Markdown to sanitised HTML; links keep only http(s) and mailto targets."""
    if not text:
        return ""
    html = _markdown.render(str(text))
    cleaned = nh3.clean(
        html,
        tags=MARKDOWN_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above


@register.filter
def safe_url(value) -> str:
    """Return ``value`` when it is an absolute http(s) URL, else '' (never a javascript: link)."""
    value = str(value or "").strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    return value if parts.scheme in ("http", "https") and parts.netloc else ""


@register.filter
def version(value) -> str:
    """Format a version number the way OpenMetadata shows it: one decimal."""
    if value in (None, ""):
        return ""
    return f"{Decimal(str(value)).quantize(Decimal('0.1'))}"


@register.filter
def owner_url(owner) -> str:
    """Return the page of a user or a team."""
    if isinstance(owner, Team):
        return reverse("team", args=[owner.pk])
    return reverse("user", args=[owner.pk])


@register.filter
def is_team(owner) -> bool:
    return isinstance(owner, Team)


@register.filter
def is_sensitive(tag) -> bool:
    """Return whether a tag (or tag FQN) is one of the sensitive-data tags (settings.SENSITIVE_TAGS)."""
    fqn = getattr(tag, "fqn", tag)
    return fqn in settings.SENSITIVE_TAGS


@register.filter
def excerpt(text, length: int = 180) -> str:
    """Return a Markdown description as plain text, shortened: for lists, where markup would distract."""
    plain = " ".join(html.unescape(strip_tags(_markdown.render(str(text or "")))).split())
    return plain if len(plain) <= length else plain[: length - 1].rstrip() + "…"


@register.filter(is_safe=True)
def breakable(value) -> str:
    """Escape a dotted name and let it wrap after each dot (a long FQN in a narrow column)."""
    return mark_safe(escape(str(value)).replace(".", ".<wbr>"))  # noqa: S308 - escaped just before
