"""Rules every write obeys, whichever door it came through."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from catalog.models import Team, User

MAX_NAME_LENGTH = 256
#: The longest URL taken (the URL columns hold this many characters).
MAX_URL_LENGTH = 2048
_url = URLValidator(schemes=["http", "https"])


def check_name(name, field="name", max_length=MAX_NAME_LENGTH) -> str:
    """Return a valid entity name or raise: 1–256 characters (or what its column holds), not blank, no ``::``."""
    if not isinstance(name, str) or not name.strip():
        raise ValidationError({field: "This field is required and cannot be blank."})
    if len(name) > max_length:
        raise ValidationError({field: f"Must be at most {max_length} characters."})
    if "::" in name:
        raise ValidationError({field: "Must not contain '::'."})
    check_text(name, field)
    return name


def check_text(value, field, max_length=None) -> str:
    """Reject NUL characters (PostgreSQL cannot store them) and over-long values."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({field: "Must be a string."})
    if "\x00" in value:
        raise ValidationError({field: "Must not contain NUL characters."})
    if max_length is not None and len(value) > max_length:
        raise ValidationError({field: f"Must be at most {max_length} characters."})
    return value


def check_url(value, field) -> str:
    """Return an absolute http(s) URL, or '' for no value."""
    value = check_text(value, field, MAX_URL_LENGTH).strip()
    if value:
        try:
            _url(value)
        except ValidationError:
            raise ValidationError({field: f"Enter a valid http(s) URL, not {value!r}."}) from None
    return value


def check_choice(value, choices, field) -> str:
    value = check_text(value, field)
    if value and value not in choices.values:
        raise ValidationError({field: f"{value!r} is not one of {', '.join(choices.values)}."})
    return value


def check_owners(owners, field="owners") -> list:
    """Owners are users or Group teams (a Department or an Organization owns nothing)."""
    for owner in owners:
        if not isinstance(owner, (User, Team)):
            raise ValidationError({field: "Owners must be users or teams."})
        if isinstance(owner, Team) and owner.team_type != Team.TeamType.GROUP:
            raise ValidationError({field: f"Team {owner.name!r} is a {owner.team_type}; only Group teams own."})
    return owners


#: The rows whose names must not repeat within their parent: field -> what the message calls them.
UNIQUE_NAMES = {
    "features": "Feature names must be unique in a model",
    "hyperparameters": "Hyperparameter names must be unique",
    "columns": "Column names must be unique in a table",
    "sources": "Source names must be unique in a feature",
}


def check_unique_names(names, field, rows=None) -> None:
    """Refuse a list of child rows (features, hyperparameters, columns, a feature's sources) in which a name
    repeats; ``rows`` names the kind in :data:`UNIQUE_NAMES` when ``field`` does not."""
    seen, duplicates = set(), set()
    for name in names:
        (duplicates if name in seen else seen).add(name)
    if duplicates:
        raise ValidationError({field: f"{UNIQUE_NAMES[rows or field]}: {sorted(duplicates)[0]!r} repeats."})


#: The most items one write may hold in each list, whichever door it comes through: list -> (bound, what the
#: message calls its items). Unbounded lists held a worker past its timeout (issue 11); these are generous
#: (a wide warehouse table, a large feature set) and keep one write within a few seconds.
MAX_ITEMS = {
    "columns": (1_000, "columns in a table"),
    "features": (1_000, "features in a model"),
    "sources": (100, "sources in a feature"),
    # Each source is rows and lineage edges of its own: a model's whole set is bounded too, so that one
    # write of every feature at its own bound (100,000 sources) cannot hold a worker for minutes.
    "model_sources": (2_000, "feature sources in a model"),
    "hyperparameters": (1_000, "hyperparameters in a model"),
    "tags": (200, "tags on one entity, column, feature or source"),
    "owners": (100, "owners"),
    "followers": (10_000, "followers"),
    "users": (5_000, "users in a team"),
    "teams": (1_000, "teams of one user"),
}


def check_count(items, field, bound=None) -> None:
    """Refuse a list longer than its bound in :data:`MAX_ITEMS` (``bound`` names it when ``field`` does not)."""
    check_total(len(items), field, bound or field)


def check_total(count: int, field: str, bound: str) -> None:
    """Refuse ``count`` items where :data:`MAX_ITEMS` bounds ``bound`` (for totals over several lists)."""
    most, what = MAX_ITEMS[bound]
    if count > most:
        raise ValidationError({field: f"At most {most:,} {what} are allowed; {count:,} were given."})
