"""The model card: its sections on the model page, and the printable card page.

The sections are fields of the model (``CARD_FIELDS``), edited inline as
every other field is (pages.views.editing), so each save is one history
version. The printable page gathers what a reviewer asks about a model in
one document: the card, who owns it, its model versions with their results
and data, and the data that feeds it, sensitive paths first.
"""

from dataclasses import dataclass, field

from django.shortcuts import render
from django.utils.text import capfirst
from django.views.decorators.http import require_GET

from catalog import representations
from catalog.models import CARD_FIELDS
from lineage import governance
from pages.forms import CARD_HINTS
from pages.views.common import get_model, signed_in


@dataclass(frozen=True)
class CardSection:
    """One section of a model's card as a page shows it."""

    name: str  # the model's attribute, also the field's name in its edit URL
    label: str
    value: str
    hint: str
    rating: str = ""  # the risk rating's label ("High"): the one section picked from a list

    @property
    def part(self) -> str:
        """The id of the section's element, and the ``?part=`` that asks for it."""
        return f"field-{self.name}"


def card_sections(model) -> list[CardSection]:
    """Return the card's sections in the card's order, filled or not."""
    sections = []
    for name in CARD_FIELDS:
        rating = model.get_card_risk_rating_display() if name == "card_risk_rating" and model.card_risk_rating else ""
        label = capfirst(model._meta.get_field(name).verbose_name)
        sections.append(CardSection(name, label, getattr(model, name), CARD_HINTS[name], rating))
    return sections


def card_section(model, name: str) -> CardSection:
    return next(section for section in card_sections(model) if section.name == name)


def completeness(model) -> dict:
    """Return how much of the card is filled in, and which sections are still empty."""
    missing = model.card_missing()
    return {"filled": len(CARD_FIELDS) - len(missing), "total": len(CARD_FIELDS), "missing": missing}


@dataclass
class FeedingTable:
    """A table that feeds a model's features, with the columns they read."""

    table: object
    columns: dict = field(default_factory=dict)  # Column -> names of the features it feeds
    whole_table: list = field(default_factory=list)  # features fed by the table, no column named


def feeding_tables(model) -> tuple[list[FeedingTable], list[tuple[str, str]]]:
    """Return the tables (and their columns) the model's features read, and the (feature, source) with no table.

    Read from the feature sources ``get_model`` loaded: no query of its own.
    """
    tables, external = {}, []
    for feature in model.features_list:
        for source in feature.sources_list:
            if not source.table_id:
                external.append((feature.name, source.name))
                continue
            entry = tables.setdefault(source.table_id, FeedingTable(source.table))
            if source.column_id:
                entry.columns.setdefault(source.column, []).append(feature.name)
            else:
                entry.whole_table.append(feature.name)
    return sorted(tables.values(), key=lambda entry: entry.table.fqn), external


def final_metrics(version) -> list:
    """Return the last measurement of each metric on each dataset: a card reports results, not training curves."""
    last = {}
    for metric in sorted(version.metrics_list, key=lambda metric: metric.step):
        last[(metric.name, metric.dataset)] = metric
    return sorted(last.values(), key=lambda metric: (metric.name, metric.dataset))


@signed_in
@require_GET
def mlmodel_card(request, pk):
    """Show a model's card with its versions, results, data and sensitive-data paths, laid out to print."""
    model = get_model(pk)
    versions = representations.model_versions_of(model)
    for version in versions:
        version.final_metrics = final_metrics(version)
    tables, external = feeding_tables(model)
    exposed = governance.report({model.pk: "mlmodel"}, owners=False)
    context = {
        "model": model,
        "owners": model.owners(),
        "sections": card_sections(model),
        "completeness": completeness(model),
        "model_versions": versions,
        "feeding_tables": tables,
        "external_sources": external,
        "exposure": exposed[0] if exposed else None,
    }
    return render(request, "catalog/mlmodel_card.html", context)
