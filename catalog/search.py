"""Text search over ML models: one function, used by the explore page (and meant for a search API).

On PostgreSQL it reads the GIN-indexed ``search_vector`` of the stored model
documents (``catalog.documents`` fills their ``search_text``): every word typed
must start a word, or a part of a word, of the model's name, display name,
description, algorithm, features, hyperparameters, feature sources or the
tables and columns those read. ``_``, ``.``, ``-`` and spaces break words,
so ``birth_date`` finds ``birth`` and ``date`` and ``card fraud`` finds a
model whose display name is ``Card fraud`` or one named ``card`` reading a
``fraud_events`` table. Case does not matter.

On SQLite (small catalogues, tests) it is a case-insensitive substring
search of each of those names for the text as typed, which finds the same
models for a single word; for several words PostgreSQL matches each word
anywhere, SQLite the whole phrase within one name.
"""

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from catalog.documents import WORD
from catalog.models import Column, FeatureSource, MlFeature, MlHyperParameter, MlModel, MlModelDocument, Table


def matching_model_ids(text: str):
    """Return the ids of the ML models ``text`` matches, soft-deleted ones included, in no particular order.

    The result is a lazy ``values_list`` queryset of UUIDs: evaluate it once
    (``list(...)``) or use it as a subquery (``pk__in=``). Text without any
    letter or digit matches nothing.
    """
    words = WORD.findall(text.lower())
    if not words:
        return MlModel.objects.none().values_list("pk", flat=True)
    if connection.vendor == "postgresql":
        query = " & ".join(f"'{word}':*" for word in words)
        matches = RawSQL("search_vector @@ to_tsquery('simple'::regconfig, %s)", [query], output_field=BooleanField())
        return MlModelDocument.objects.filter(matches).values_list("model_id", flat=True)
    return MlModel.objects.filter(_substring_match(text.strip())).values_list("pk", flat=True)


def _substring_match(term: str) -> Q:
    """The SQLite search: ``icontains`` on every searched name, a table counting when a source reads it."""
    models = MlModel.objects.filter(
        Q(name__icontains=term)
        | Q(display_name__icontains=term)
        | Q(description__icontains=term)
        | Q(algorithm__icontains=term)
    ).values("pk")
    features = MlFeature.objects.filter(name__icontains=term).values("model_id")
    params = MlHyperParameter.objects.filter(name__icontains=term).values("model_id")
    tables = Table.objects.filter(name__icontains=term).order_by().values("pk")
    columns = Column.objects.filter(name__icontains=term).values("pk")
    sources = FeatureSource.objects.filter(Q(name__icontains=term) | Q(column__in=columns) | Q(table__in=tables))
    return Q(pk__in=models) | Q(pk__in=features) | Q(pk__in=params) | Q(pk__in=sources.values("feature__model_id"))
