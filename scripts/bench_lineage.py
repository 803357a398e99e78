#!/usr/bin/env python
"""Print how long a ~500-node lineage neighbourhood takes to build, write and draw.

Builds a throwaway catalogue in a temporary SQLite file (never the real
database): a model with 120 features reading 240 columns of 30 tables, each
table fed by two raw tables, and the model feeding dashboards and score
tables read by two more models. Then it times each layer for the model's
diagram (two hops up, two down): the graph (queries), the DOT text, and the
Graphviz render, cold and from the cache. Figures are printed, not asserted.

    .venv/bin/python scripts/bench_lineage.py [--repeat N]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DEBUG", "True")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def build_catalogue():
    """Return the focus model of a catalogue whose neighbourhood holds about 500 nodes."""
    from catalog.models import (
        Column,
        Dashboard,
        DashboardService,
        Database,
        DatabaseSchema,
        DatabaseService,
        MlModelService,
    )
    from catalog.services import assets, changes, mlmodels
    from lineage.models import Edge

    actor = "bench"
    service = changes.create(DatabaseService(name="bench-db", service_type="Postgres"), actor).entity
    database = changes.create(Database(service=service, name="warehouse"), actor).entity
    schema = changes.create(DatabaseSchema(database=database, name="public"), actor).entity
    ml_service = changes.create(MlModelService(name="bench-ml", service_type="Mlflow"), actor).entity
    boards = changes.create(DashboardService(name="bench-bi", service_type="Superset"), actor).entity

    def table(name, columns):
        specs = [assets.ColumnSpec(name=c) for c in columns]
        return assets.save_table(schema, name, actor, columns=specs).entity

    def link(source, target):
        Edge.objects.create(
            from_type=source.entity_type,
            from_id=source.id,
            to_type=target.entity_type,
            to_id=target.id,
            origin=Edge.Origin.API,
        )

    sources = []
    for t in range(30):
        source = table(f"source_{t:02}", [f"col_{c}" for c in range(8)])
        for r in range(2):
            link(table(f"raw_{t:02}_{r}", ["payload"]), source)
        sources.append(source)
    columns = list(Column.objects.filter(table__in=sources).order_by("table__name", "position"))
    features = [
        mlmodels.FeatureSpec(
            name=f"feature_{i:03}",
            data_type="numerical",
            sources=[
                mlmodels.SourceSpec(name=columns[2 * i].name, column=columns[2 * i]),
                mlmodels.SourceSpec(name=columns[2 * i + 1].name, column=columns[2 * i + 1]),
            ],
        )
        for i in range(120)
    ]
    focus = mlmodels.create_mlmodel(ml_service, "focus", actor, algorithm="GBM", features=features).entity
    for d in range(6):
        dashboard = changes.create(Dashboard(service=boards, name=f"board_{d}"), actor).entity
        link(focus, dashboard)
    for s in range(4):
        scores = table(f"scores_{s}", ["id", "score", "at"])
        link(focus, scores)
        score_columns = {c.name: c for c in Column.objects.filter(table=scores)}
        mlmodels.create_mlmodel(
            ml_service,
            f"consumer_{s}",
            actor,
            algorithm="LR",
            features=[
                mlmodels.FeatureSpec(name=f"uses_{name}", sources=[mlmodels.SourceSpec(name=name, column=column)])
                for name, column in score_columns.items()
            ],
        )
    return focus


def timed(callable_):
    start = time.perf_counter()
    result = callable_()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="cold renders to average (default 3)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-lineage-") as directory:
        setup_django(Path(directory) / "bench.sqlite3")
        from django.core.cache import cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from lineage import dot, graph, render

        print("Building the catalogue…", flush=True)
        focus = build_catalogue()
        # A running server has imported its URL configuration long before;
        # do it here too so the first reverse() does not count as DOT time.
        from django.urls import reverse

        reverse("lineage:governance")
        with CaptureQueriesContext(connection) as queries:
            lineage, graph_seconds = timed(lambda: graph.build("mlmodel", focus.id, upstream=2, downstream=2, cap=1000))
        text, dot_seconds = timed(lambda: dot.to_dot(lineage))
        print(
            f"Neighbourhood: {len(lineage.nodes)} nodes, {len(lineage.edges)} edges, "
            f"{len(queries)} SQL queries, DOT {len(text) // 1024} KiB"
        )
        print(f"graph (ORM → nodes and edges): {graph_seconds * 1000:8.1f} ms")
        print(f"dot   (nodes → DOT text):      {dot_seconds * 1000:8.1f} ms")
        for fmt in ("svg", "png"):
            colds = []
            for _ in range(options.repeat):
                cache.clear()
                rendered, seconds = timed(lambda fmt=fmt: render.render(text, fmt))
                if not rendered.ok:
                    print(f"render {fmt}: {rendered.error}")
                    return
                colds.append(seconds)
            cached, cached_seconds = timed(lambda fmt=fmt: render.render(text, fmt))
            cold = sum(colds) / len(colds)
            print(
                f"render {fmt} cold (Graphviz):   {cold * 1000:8.1f} ms (mean of {len(colds)}), "
                f"{len(rendered.content) // 1024} KiB"
            )
            print(f"render {fmt} cached:            {cached_seconds * 1000:8.1f} ms (cached={cached.cached})")
            if fmt == "svg":
                total = graph_seconds + dot_seconds + cold
                print(f"total, SVG drawn from scratch:  {total * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
