"""Fully qualified names, built the way OpenMetadata builds them.

Parts are joined by ``.``; a part that contains a dot is wrapped in double
quotes so the name can be split again unambiguously. A double quote inside a
name is escaped as ``\\"`` (what OpenMetadata's server does).
"""

import hashlib

SEPARATOR = "."


def quote(name: str) -> str:
    """Return one FQN part for ``name``, quoted when it contains a dot."""
    if len(name) >= 2 and name.startswith('"') and name.endswith('"'):
        inner = name[1:-1]
        return name if SEPARATOR in inner else inner
    escaped = name.replace('"', '\\"')
    return f'"{escaped}"' if SEPARATOR in name else escaped


def build(*names: str) -> str:
    """Join names into an FQN, quoting each part that needs it."""
    return SEPARATOR.join(quote(n) for n in names)


def split(fqn: str) -> list[str]:
    """Split an FQN into its unquoted parts (the inverse of :func:`build`)."""
    parts, current, in_quotes, i = [], [], False, 0
    while i < len(fqn):
        char = fqn[i]
        if char == "\\" and i + 1 < len(fqn) and fqn[i + 1] == '"':
            current.append('"')
            i += 2
            continue
        if char == '"':
            in_quotes = not in_quotes
        elif char == SEPARATOR and not in_quotes:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    parts.append("".join(current))
    return parts


def normalise(fqn: str) -> str:
    """Return the canonical spelling of an FQN (``"a.b"`` and ``a.b`` as one part differ)."""
    return build(*split(fqn))


def digest(fqn: str) -> str:
    """Return the hash FQNs are indexed by (an FQN can outgrow a btree entry)."""
    return hashlib.md5(fqn.encode("utf-8")).hexdigest()
