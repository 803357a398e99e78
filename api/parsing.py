"""The API's JSON parser: what a body may be before any view reads it.

Every request body under /api/v1 is parsed here (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``), so
the limits hold for every route: JSON nested deeper than :data:`MAX_DEPTH`, numbers no JSON value
can be (``NaN``, ``Infinity``, ``1e999``), lone UTF-16 surrogates and NUL characters are a 400
naming where they are. (The size limit comes first: DRF reads the body through Django, which
refuses one above ``DATA_UPLOAD_MAX_MEMORY_SIZE`` before reading it; ``api.errors`` answers 413.) Values like these parse in Python but then fail later and deep down (recursion in the code
that walks them, PostgreSQL refusing NUL and non-finite numbers, UTF-8 encoding of the answer),
which used to be a 500; refusing them here means nothing after the parser meets them.
"""

import json
import math
import re

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from api.errors import bad_request

#: How deeply objects and arrays may nest. OpenMetadata's own documents nest fewer than ten levels.
MAX_DEPTH = 64
_SURROGATE = re.compile("[\ud800-\udfff]")
#: The escapes that parse into a NUL or a lone surrogate.
_BAD_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} is out of range for a number")
    return number


def _path(entry) -> str:
    """The JSON path of a node, in the terms error messages use elsewhere (``mlFeatures[0].name``)."""
    parts = []
    while entry is not None:
        _, _, parent, key = entry
        if key is not None:
            parts.append(f"[{key}]" if isinstance(key, int) else f".{key}")
        entry = parent
    return "".join(reversed(parts)).removeprefix(".") or "body"


def check_document(data) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH`, NUL characters and lone surrogates anywhere in ``data``.

    Iterative, so a document at the limit costs no Python recursion; a path is built only for an error.
    """
    stack = [(data, 0, None, None)]
    while stack:
        entry = stack.pop()
        value, depth, _, _ = entry
        if isinstance(value, str):
            _check_string(value, entry)
        elif isinstance(value, (dict, list)):
            if depth >= MAX_DEPTH:
                raise bad_request(f"{_path(entry)}: JSON nested deeper than {MAX_DEPTH} levels")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str):
                    _check_string(key, entry)  # a bad key is named by the object that holds it
                stack.append((item, depth + 1, entry, key))


def _may_hold_bad_strings(text: str) -> bool:
    """Whether a body's text can parse into a NUL or a lone surrogate: one of their escapes, or the characters
    themselves (a charset such as unicode_escape decodes to them).

    Most bodies hold neither, and one scan of the text spares checking each of their strings,
    which costs several times the parse of a model's PUT.
    """
    return (
        "\x00" in text
        or ("\\u" in text and _BAD_ESCAPE.search(text) is not None)
        or (not text.isascii() and _SURROGATE.search(text) is not None)
    )


def _nested_within_limit(data) -> bool:
    """Whether ``data`` nests at most :data:`MAX_DEPTH` levels: a walk of its containers, level by level, keeping no paths."""
    level = [data] if isinstance(data, (dict, list)) else []
    for _ in range(MAX_DEPTH):
        level = [
            item
            for container in level
            for item in (container.values() if isinstance(container, dict) else container)
            if isinstance(item, (dict, list))
        ]
        if not level:
            return True
    return False


def _check_string(value: str, entry) -> None:
    if "\x00" in value:
        raise bad_request(f"{_path(entry)}: Must not contain NUL characters.")
    if _SURROGATE.search(value):
        raise bad_request(f"{_path(entry)}: Must not contain a lone UTF-16 surrogate (\\ud800-\\udfff).")


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with the limits above."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
            data = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
        except RecursionError:
            raise bad_request(f"body: JSON nested deeper than {MAX_DEPTH} levels") from None
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        if _may_hold_bad_strings(text) or not _nested_within_limit(data):
            check_document(data)  # finds what is wrong, and where
        return data


class JSONPatchParser(JSONParser):
    """Parse ``application/json-patch+json`` bodies (DRF's JSONParser knows only application/json)."""

    media_type = "application/json-patch+json"


class JSONMergePatchParser(JSONParser):
    """Parse ``application/merge-patch+json`` bodies (RFC 7386), which PATCH of a model version or card takes."""

    media_type = "application/merge-patch+json"
