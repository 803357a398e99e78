"""The render layer: the only code that runs Graphviz.

``dot`` runs as a child process with a time limit, so a layout that takes
too long ends with a message in place of the diagram instead of a hung
request. Renders are cached under a hash of the DOT text: an identical graph
(same nodes, filters and sensitivity marks) reuses its picture, and any
change to the graph changes the text and so the key. Every SVG is checked
before it is cached or shown: no script, no event handler, no link leaving
the site.
"""

import hashlib
import logging
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
#: How long a render stays cached, and how long a layout that timed out is not tried again.
CACHE_SECONDS = 24 * 3600
TIMEOUT_MEMORY_SECONDS = 300
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
GRAPHVIZ_TITLE = re.compile(rb"<title>[^<]*</title>\n?")

MISSING = (
    "Graphviz is not installed on this server, so the diagram cannot be drawn. The DOT and CSV exports still work."
)
TOO_SLOW = (
    "This diagram took longer than {seconds} seconds to lay out and was stopped. "
    "Lower the depth or show fewer kinds of node."
)
FAILED = "Graphviz could not draw this diagram. The DOT and CSV exports still work."
UNSAFE = "The drawn diagram contained content that is not allowed, so it is not shown."


@dataclass
class Rendered:
    """A picture, or the message shown in its place."""

    content: bytes = b""
    error: str = ""
    cached: bool = False

    @property
    def ok(self) -> bool:
        return not self.error

    def inline_svg(self) -> str:
        """Return the SVG without its XML prolog and doctype, ready to sit inside an HTML page."""
        text = self.content.decode("utf-8")
        return text[text.index("<svg") :]


def cache_key(dot_text: str, fmt: str) -> str:
    return f"lineage-render:{fmt}:{hashlib.sha256(dot_text.encode('utf-8')).hexdigest()}"


def render(dot_text: str, fmt: str = "svg") -> Rendered:
    """Return ``dot_text`` drawn as ``svg`` or ``png``, from the cache when it was drawn before."""
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"Unknown format {fmt!r}")
    key = cache_key(dot_text, fmt)
    hit = cache.get(key)
    if hit is not None:
        return Rendered(content=hit, cached=True) if isinstance(hit, bytes) else Rendered(error=hit, cached=True)
    executable = shutil.which("dot")
    if executable is None:
        return Rendered(error=MISSING)
    seconds = settings.GRAPHVIZ_TIMEOUT
    try:
        done = subprocess.run(
            [executable, f"-T{fmt}"],
            input=dot_text.encode("utf-8"),
            capture_output=True,
            timeout=seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        message = TOO_SLOW.format(seconds=seconds)
        cache.set(key, message, TIMEOUT_MEMORY_SECONDS)
        return Rendered(error=message)
    except OSError:
        logger.exception("Graphviz could not be started")
        return Rendered(error=FAILED)
    if done.returncode != 0 or not done.stdout:
        logger.warning("Graphviz failed (exit %s): %s", done.returncode, done.stderr[:2000].decode(errors="replace"))
        return Rendered(error=FAILED)
    content = done.stdout
    if fmt == "svg":
        if not is_safe_svg(content):
            logger.error("Graphviz produced an SVG that failed the safety check; not shown")
            return Rendered(error=UNSAFE)
        # Graphviz titles every shape with its internal name (n<hex>), which
        # browsers show on hover and screen readers read out; the links keep
        # their readable tooltips.
        content = GRAPHVIZ_TITLE.sub(b"", content)
    cache.set(key, content, CACHE_SECONDS)
    return Rendered(content=content)


FORBIDDEN_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"}


def is_safe_svg(content: bytes) -> bool:
    """Return whether an SVG has no script, no event handler and only same-site links.

    Graphviz escapes label text and the links come from ``reverse()``, so this
    never fails in practice; it stands guard because the SVG is put into pages
    unescaped.
    """
    try:
        root = ET.fromstring(content)
    except ET.ParseError:
        return False
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name in FORBIDDEN_ELEMENTS:
            return False
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                return False
            if local == "href" and not _is_same_site(value):
                return False
    return True


def _is_same_site(url: str) -> bool:
    return url.startswith("#") or (url.startswith("/") and not url.startswith("//") and "\\" not in url)
