"""Sensitive-data exposure: which nodes sensitive columns and tables flow into.

A column or table carrying one of ``settings.SENSITIVE_TAGS`` is a *source*
of sensitive data. Exposure flows downstream, computed from the data as it is
when asked for (or kept from an earlier request only while no write could have
changed it), so tagging a column marks every feature, model and dashboard below
it at once. The rules:

* an edge carries exposure from its upstream end to its downstream end (so a
  model version's training or evaluation data expose the version, and the
  version its model: lineage.sync derives those edges);
* a feature exposes its model, and ``MlModel.dashboard`` exposes the dashboard;
* an exposed column makes its table hold sensitive data, so the table's
  table-grain edges carry exposure (they do not say which columns flow);
* a table that is tagged, or reached through a table-grain edge, exposes all
  of its columns; a table that merely holds a sensitive column does not make
  its other columns sensitive;
* a table → model edge is read as a summary of the model's feature sources
  (OpenMetadata's grain) and carries nothing when the model has a feature fed
  by that table or one of its columns: the column-grain edges say exactly
  which data reaches the model. A derived one (lineage.sync writes it with
  those column-grain edges) never carries; a stated one is checked;
* a path to a node never runs from a column to its table and on to another
  of its columns (the table only holds that column's data).

Two walks apply these rules without ever reading the whole graph, so their
cost follows the lineage around the nodes asked about, not the catalogue:

* :func:`exposure` answers for given nodes (the paths to a model, feature
  or dashboard, to the models of a page of the governance list). It walks
  *upstream* from them, one query per
  level, taking only what can carry exposure to them: a table's columns only
  where the table's own edges matter, and of those only the ones exposed
  otherwise than by the table (tagged, or with a stated edge in). It then
  reads the sensitive tags of the columns and tables it reached (one query)
  and applies the rules in Python to that subgraph. A node's exposure
  depends only on what is upstream of it, so the answer is exact for every
  node the walk reached.
* :func:`reach` answers for the whole catalogue (explore's facet, the
  governance list, the marks of every diagram). It walks *downstream* from
  the sensitive columns and tables, one query per level, following only what
  carries exposure; stated table → model summaries are checked last, and
  only those that could expose a model nothing else exposes. Its answer is
  kept per process until a write that could change it commits
  (:mod:`lineage.memo`).

Both lean on what lineage.sync guarantees of derived edges (see DERIVED)
and read stated edges through partial indexes of their own. Each rule is
written once, as a ``Rule`` in :mod:`lineage.exposure.sql` that both walks
read (one from each end); the walks live in :mod:`lineage.exposure.walks`,
the reports pages show in :mod:`lineage.exposure.reports`. This module is
the entry point: pages and the API import from here.
"""

from lineage.exposure.reports import Exposed, PathStep, exposed_models, report
from lineage.exposure.walks import MAX_PATHS, Exposure, Reach, exposure, reach

__all__ = [
    "MAX_PATHS",
    "Exposed",
    "Exposure",
    "PathStep",
    "Reach",
    "exposed_model_ids",
    "exposed_models",
    "exposure",
    "reach",
    "report",
]


def exposed_model_ids() -> set:
    """Return the ids of live ML models that sensitive data reaches.

    Meant for list pages such as explore's "uses sensitive data" facet:
    ``MlModel.objects.filter(pk__in=exposed_model_ids())``. Costs what
    :func:`reach` costs.
    """
    return {model_id for model_id, _ in reach().live_models}
