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
            data = json.loads(
                stream.read().decode(encoding), parse_constant=_refuse_constant, parse_float=_finite_float
            )
        except RecursionError:
            raise bad_request(f"body: JSON nested deeper than {MAX_DEPTH} levels") from None
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        check_document(data)
        return data


class JSONPatchParser(JSONParser):
    """Parse ``application/json-patch+json`` bodies (DRF's JSONParser knows only application/json)."""

    media_type = "application/json-patch+json"
