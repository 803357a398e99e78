"""Stored API documents of ML models: how they are built, kept right and served.

OpenMetadata stores each entity's JSON and splices the requested relation
fields into it on reads; ModelAtlas does the same for ML models, whose
representation (20 features with their sources, ~22 KB) is far too costly to
rebuild from rows on every read. A :class:`~catalog.models.MlModelDocument`
holds, as JSON text built by :func:`catalog.representations.represent`:

* ``body``: the representation without relation fields, hrefs relative;
* one piece per stored relation field (dashboard, owners, followers, tags);
* ``search_text``: the words :mod:`catalog.search` looks for.

This module is the one place that knows what a document shows, so it also
decides when one must be rebuilt. Inside the transaction of the write:

* a model written through ``catalog.services.changes`` (create, change,
  record: every edit, soft delete, restore, the admin) -> that model;
* a model's followers changed (following is not versioned, so no
  ``entity_written`` for it) -> its followers piece;
* an entity a document shows (a table, the model's service or dashboard, a
  user, a team, a tag) written or removed -> every model showing it.

Readers never trust a document older than its model: :func:`texts` builds
afresh, for that response only, the model whose document is missing or
carries another version (a row written past the write path, or a database
loaded before documents existed, until ``manage.py refresh_documents``).
"""

import functools
import json
import re

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, pre_delete
from django.dispatch import receiver

from catalog import models as m
from catalog import registry, representations
from catalog.services.changes import entity_written

#: Relation fields a document stores, each as its own JSON text.
STORED_RELATIONS = ("dashboard", "owners", "followers", "tags")
#: Relation fields ModelAtlas answers with the same value for every model (it keeps no such data).
CONSTANT_RELATIONS = {
    "domains": "[]",
    "dataProducts": "[]",
    "votes": '{"upVotes":0,"downVotes":0,"upVoters":[],"downVoters":[]}',
}
#: The order ``representations.mlmodel`` writes relation fields in, after every other key.
RELATION_ORDER = ("dashboard", "owners", "followers", "tags", "domains", "dataProducts", "votes")
#: Where every stored href starts: the reader puts the request's base URL in front.
RELATIVE_HREF_BYTES = b'"href":"/api/v1/'
#: Models built and stored per query batch when many documents are refreshed at once.
BATCH = 100


def dumps(value) -> str:
    """Return ``value`` as JSON text, byte for byte what the API's renderer (DRF's JSONRenderer) writes."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


# -- Building ---------------------------------------------------------------------------------------------------------


def build(model: m.MlModel) -> m.MlModelDocument:
    """Return the document of ``model`` (unsaved), read through ``.all()`` of its relations.

    Works on a stored model (best read with ``representations.represented``)
    as on an in-memory one whose relations are pre-filled (the generator's).
    """
    full = representations.represent(model, representations.ALL, base="")
    body = {key: value for key, value in full.items() if key not in RELATION_ORDER}
    return m.MlModelDocument(
        model_id=model.pk,
        version=model.version,
        body=dumps(body),
        dashboard=dumps(full["dashboard"]) if "dashboard" in full else "",
        owners=dumps(full["owners"]),
        followers=dumps(full["followers"]),
        tags=dumps(full["tags"]),
        search_text=search_text(model),
    )


#: A word of a name: letters and digits. ``_``, ``.``, ``-`` and spaces break words.
WORD = re.compile(r"[^\W_]+")
#: Words up to this long are indexed with every suffix, so a typed word matches inside them too.
LONGEST_SUFFIXED_WORD = 40


def search_text(model: m.MlModel) -> str:
    """Return the words the text search finds ``model`` by, each with its suffixes.

    The words of its name, display name, description and algorithm, of its
    features' and hyperparameters' names, and of its sources' names and the
    tables and columns they read. Each word comes with every suffix, so that
    a prefix query (``catalog.search``) finds a typed word anywhere inside a
    word, as the substring search it replaces did (``e`` finds ``churned``).
    """
    strings = [model.name, model.display_name, model.description, model.algorithm]
    strings += [p.name for p in model.hyperparameters.all()]
    for feature in representations.rows(model, "features"):
        strings.append(feature.name)
        for source in representations.rows(feature, "sources"):
            strings.append(source.name)
            if source.table_id:
                strings.append(source.table.name)
            if source.column_id:
                strings.append(source.column.name)
    words = {word for text in strings for word in WORD.findall(text.lower())}
    terms = set(words)
    for word in words:
        if len(word) <= LONGEST_SUFFIXED_WORD:
            terms.update(word[i:] for i in range(1, len(word)))
    return " ".join(sorted(terms))


# -- Refreshing -------------------------------------------------------------------------------------------------------


def store(documents: list[m.MlModelDocument]) -> None:
    """Insert or replace ``documents``."""
    m.MlModelDocument.objects.bulk_create(
        documents,
        update_conflicts=True,
        unique_fields=["model"],
        update_fields=["version", "body", "dashboard", "owners", "followers", "tags", "search_text"],
    )


def refresh(model_ids) -> None:
    """Rebuild and store the documents of the models with these ids (a model gone has none to rebuild).

    The models are read under their row lock, as every model write takes it
    (``changes.lock``): two refreshes of one model cannot store out of order.
    """
    ids = sorted(set(model_ids))
    for start in range(0, len(ids), BATCH):
        with transaction.atomic(savepoint=False):
            models = representations.represented(m.MlModel).select_for_update(of=("self",))
            store([build(model) for model in models.filter(pk__in=ids[start : start + BATCH])])


def refresh_followers(model_ids) -> None:
    """Rewrite the followers piece of these models' documents (those that have one)."""
    ids = list(model_ids)
    followers = {pk: [] for pk in ids}
    links = m.MlModel.followers.through.objects.filter(mlmodel_id__in=ids).select_related("user")
    for link in links.order_by("user__username"):
        followers[link.mlmodel_id].append(representations.ref(link.user, ""))
    for pk, users in followers.items():
        m.MlModelDocument.objects.filter(pk=pk).update(followers=dumps(users))


def models_showing(entity) -> set:
    """Return the ids of the models whose documents show ``entity`` (its name, description, flags...)."""
    owners, followers, tags = m.MlModel.owner_users.through, m.MlModel.followers.through, m.MlModel.tags.through
    if isinstance(entity, m.MlModelService):
        queries = [m.MlModel.objects.filter(service=entity).values_list("pk", flat=True)]
    elif isinstance(entity, m.Dashboard):
        queries = [m.MlModel.objects.filter(dashboard=entity).values_list("pk", flat=True)]
    elif isinstance(entity, m.Table):
        queries = [m.MlFeature.objects.filter(sources__table=entity).values_list("model_id", flat=True)]
    elif isinstance(entity, m.User):
        queries = [
            owners.objects.filter(user=entity).values_list("mlmodel_id", flat=True),
            followers.objects.filter(user=entity).values_list("mlmodel_id", flat=True),
        ]
    elif isinstance(entity, m.Team):
        queries = [m.MlModel.owner_teams.through.objects.filter(team=entity).values_list("mlmodel_id", flat=True)]
    elif isinstance(entity, m.Tag):
        queries = [
            tags.objects.filter(tag=entity).values_list("mlmodel_id", flat=True),
            m.MlFeature.objects.filter(tags=entity).values_list("model_id", flat=True),
            m.MlFeature.objects.filter(sources__tags=entity).values_list("model_id", flat=True),
        ]
    else:
        return set()
    return {pk for query in queries for pk in query.order_by().distinct()}


#: Entities a model's document shows something of.
SHOWN = tuple(t.model for t in registry.TYPES.values() if t.shown_in_documents)


@receiver(entity_written, sender=m.MlModel)
def refresh_written_model(sender, entity, created, **kwargs):
    """Rebuild the document of a model just written, reusing its relations when the writer read them all.

    ``changes.record`` passes the model as re-read with every relation
    (``representations.represented``), just before it moves the version:
    only the bookkeeping columns need reading again. They are read rather
    than copied from the writer: PostgreSQL's jsonb hands the change
    description back with its keys in its own order, which the document,
    like every other read, must show.
    """
    if created or not hasattr(entity, "features_list"):
        refresh([entity.pk])
        return
    bookkeeping = ("version", "updated_at", "updated_by", "change_description", "deleted")
    stored = m.MlModel.objects.filter(pk=entity.pk).values(*bookkeeping).get()
    for name, value in stored.items():
        setattr(entity, name, value)
    store([build(entity)])


@receiver(entity_written)
def refresh_models_showing_written(sender, entity, created, **kwargs):
    if not created and isinstance(entity, SHOWN):
        refresh(models_showing(entity))


@receiver(m2m_changed, sender=m.MlModel.followers.through)
def refresh_changed_followers(sender, instance, action, reverse, pk_set, **kwargs):
    """Following is not versioned (no ``entity_written``): rewrite the followers piece of the models concerned."""
    if reverse and action == "pre_clear":
        instance._followed_before_clear = list(instance.followed_mlmodels.values_list("pk", flat=True))
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        refresh_followers([instance.pk])
    else:
        refresh_followers(pk_set if action != "post_clear" else getattr(instance, "_followed_before_clear", []))


def remember_models_showing(sender, instance, **kwargs):
    """Before a shown entity's row goes (its links go first), note which documents show it."""
    instance._documents_showing = models_showing(instance)


def refresh_models_showing_removed(sender, instance, **kwargs):
    refresh(getattr(instance, "_documents_showing", ()))


for shown in SHOWN:
    pre_delete.connect(remember_models_showing, sender=shown, dispatch_uid=f"documents-pre-{shown.__name__}")
    post_delete.connect(refresh_models_showing_removed, sender=shown, dispatch_uid=f"documents-post-{shown.__name__}")


# -- Serving ----------------------------------------------------------------------------------------------------------


def columns(fields) -> list[str]:
    """Return the ``document__`` columns to read for a response with these relation fields."""
    return ["document__version", "document__body"] + [
        f"document__{name}" for name in STORED_RELATIONS if name in fields
    ]


def readable(models, fields):
    """Return ``models`` (an MlModel queryset) as named rows carrying what :func:`texts` needs.

    Each row has ``pk``, ``name`` (for paging cursors), ``version`` and the
    document columns of the requested relation fields: one query, no model
    instances (whatever ``models`` would prefetch for ``represent`` is dropped).
    """
    rows = models.select_related(None).prefetch_related(None)
    return rows.values_list("pk", "name", "version", *columns(fields), named=True)


def splice(pieces: dict, fields) -> str:
    """Return a document's JSON text with the relation fields asked for, in ``represent``'s order."""
    parts = [pieces["body"][:-1]]
    for name in RELATION_ORDER:
        if name not in fields:
            continue
        value = CONSTANT_RELATIONS.get(name) or pieces[name]
        if value:  # a model without a dashboard has no dashboard key
            parts.append(f',"{name}":{value}')
    parts.append("}")
    return "".join(parts)


def texts(rows, fields) -> list[str]:
    """Return the JSON text of each row of :func:`readable`, hrefs still relative (see :func:`absolute`).

    A row whose document is missing or older than its model is built afresh
    (not stored: only writes store documents, so a reader never overwrites a
    newer one).
    """
    stale = [row.pk for row in rows if row.document__version != row.version]
    fresh = {}
    if stale:
        fresh = {model.pk: build(model) for model in representations.represented(m.MlModel).filter(pk__in=stale)}
    out = []
    for row in rows:
        if row.pk in fresh:
            document = fresh[row.pk]
            pieces = {"body": document.body, **{name: getattr(document, name) for name in STORED_RELATIONS}}
        else:
            pieces = {"body": row.document__body}
            pieces.update((name, getattr(row, f"document__{name}")) for name in STORED_RELATIONS if name in fields)
        out.append(splice(pieces, fields))
    return out


def absolute(text: str, base: str) -> bytes:
    """Return a document's JSON text as UTF-8, its stored relative hrefs made absolute under ``base``.

    In compact JSON the characters ``"href":"`` can only be a key: a quote
    inside a string is always escaped, and no entity has user-chosen keys.
    One document at a time: a page joined first would be as wide as its
    widest character (four bytes each for the whole page if one name holds
    an emoji), making every later step slower.
    """
    return text.encode().replace(RELATIVE_HREF_BYTES, _absolute_href(base))


@functools.lru_cache(maxsize=64)
def _absolute_href(base: str) -> bytes:
    """The bytes a relative href's start becomes under ``base``: a page asks for them once per document."""
    return b'"href":' + dumps(base)[:-1].encode() + b"/api/v1/"
