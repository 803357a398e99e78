"""Time ModelAtlas's pages and API on this database through gunicorn, and MLflow's registry side by side."""

import json
import os
import platform
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from benchmark import peer, plans, report, scenarios, servers
from benchmark.measure import NOT_AVAILABLE, Figure, measure, request
from catalog.models import Column, FeatureSource, MlFeature, MlModel, Table

OUT_DIR = settings.BASE_DIR / "var" / "benchmark"


class Command(BaseCommand):
    help = (
        "Measure median and p95 latency and SQL queries per request of the main pages and API calls, against "
        "this database served by gunicorn on 127.0.0.1, each also as a ratio to a no-op view; then compare with "
        "MLflow's model registry (run generate_catalogue first; see README, 'Scale and speed')."
    )

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=100, help="Timed requests per scenario (default 100).")
        parser.add_argument("--warmup", type=int, default=5, help="Untimed requests first (default 5).")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn and MLflow workers (default 2).")
        parser.add_argument("--only", default="", help="Comma-separated scenario keys to run (default all).")
        parser.add_argument(
            "--mlflow",
            default=str(settings.BASE_DIR / ".venv-mlflow" / "bin" / "mlflow"),
            help="The mlflow executable (default .venv-mlflow/bin/mlflow).",
        )
        parser.add_argument("--no-mlflow", action="store_true", help="Skip the MLflow comparison.")
        parser.add_argument(
            "--mlflow-models",
            type=int,
            default=None,
            help="How many models to register in MLflow (default: as many as the catalogue holds).",
        )
        parser.add_argument(
            "--creates",
            type=int,
            default=200,
            help="Models created on each side to measure create throughput (default 200).",
        )
        parser.add_argument("--output", default=str(OUT_DIR / "results.md"), help="Where to write the Markdown.")

    def handle(self, *args, **options):
        if options["requests"] < 1 or options["warmup"] < 0 or options["creates"] < 1:
            raise CommandError("--requests and --creates must be at least 1, --warmup at least 0")
        if connection.vendor != "postgresql":
            self.stderr.write(
                self.style.WARNING(
                    f"The database is {connection.vendor}, not PostgreSQL: the figures will not say much."
                )
            )
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        run_id = uuid.uuid4().hex[:8]
        only = {k for k in options["only"].split(",") if k}
        requests, warmup = options["requests"], options["warmup"]
        try:
            targets = scenarios.pick_targets(cold_count=requests + warmup)
        except scenarios.NoCatalogue as exc:
            raise CommandError(str(exc)) from None
        creds = scenarios.sign_in()
        sizes = {
            "models": MlModel.objects.count(),
            "features": MlFeature.objects.count(),
            "feature sources": FeatureSource.objects.count(),
            "tables": Table.objects.count(),
            "columns": Column.objects.count(),
        }
        self.say("Catalogue: " + ", ".join(f"{v:,} {k}" for k, v in sizes.items()))
        port = servers.free_port()
        pairs, creates, figures = [], [], []
        try:
            with servers.gunicorn(port, options["workers"], OUT_DIR / "gunicorn.log"):
                self.say(f"gunicorn ({options['workers']} workers) on 127.0.0.1:{port}, BENCHMARK_QUERY_COUNT=1")
                put_template = self.put_template(port, creds, targets)
                for scenario in scenarios.scenarios(targets, creds, put_template, run_id):
                    if only and scenario.key not in only and scenario.key != "floor":
                        continue
                    figure = Figure(scenario.key, scenario.label, scenario.target_ms, note=scenario.note)
                    if scenario.make is None:
                        figure.status = NOT_AVAILABLE
                    else:
                        measure(
                            figure,
                            port,
                            scenario.make,
                            requests=requests,
                            warmup=warmup,
                            budget_s=scenario.budget_s,
                            expect=scenario.expect,
                        )
                    figures.append(figure)
                    self.say(
                        f"  {figure.label}: "
                        + (
                            f"median {figure.median:.1f} ms, p95 {figure.p95:.1f} ms, queries {figure.query_text}"
                            if figure.ok
                            else figure.status
                        )
                    )
                if not options["no_mlflow"] and not only:
                    pairs, creates = self.compare_with_mlflow(
                        port, creds, targets, figures, put_template, options, run_id
                    )
        finally:
            creds.token_row.revoke()
        search_scans = self.check_search_plans(creds)
        self.write_report(figures, pairs, creates, sizes, options, search_scans)

    def check_search_plans(self, creds) -> str:
        """Say whether the text searches (explore page, API search) read the big tables with sequential scans."""
        if connection.vendor != "postgresql":
            return "not checked (needs PostgreSQL)"
        pages = {
            "explore page": f"{scenarios.url('explore')}?q={scenarios.SEARCH_TERM}",
            "API search": scenarios.api_search_path(),
        }
        verdicts = []
        for label, path in pages.items():
            status, scanned = plans.sequential_scans(path, creds.user)
            if status != 200:
                verdicts.append(f"{label} not checked (it answered {status})")
            elif scanned:
                verdicts.append(f"{label}: **sequential scans** of " + ", ".join(scanned))
            else:
                verdicts.append(f"{label}: served by indexes")
        return "; ".join(verdicts) + " (EXPLAIN of every query; a scan of a table under 10,000 rows is allowed)"

    def say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def put_template(self, port, creds, targets) -> dict | None:
        """Read the PUT target through the API, as a client would before sending it back changed."""
        path = scenarios.api_name_path(targets.put_model) + "?fields=owners,tags,dashboard"
        response = request(port, "GET", path, headers=creds.api())
        if response.status != 200:
            self.say(f"  (API get by name answered {response.status}: the PUT scenario is skipped)")
            return None
        return scenarios.create_request(json.loads(response.body), "")

    def compare_with_mlflow(self, port, creds, targets, figures, put_template, options, run_id):
        executable = Path(options["mlflow"])
        if not executable.exists():
            self.say(
                f"MLflow comparison skipped: {executable} does not exist "
                "(python3 -m venv .venv-mlflow && .venv-mlflow/bin/pip install -r requirements-bench.txt)"
            )
            return [], []
        names = list(MlModel.objects.live().order_by("fqn").values_list("name", "description", "algorithm"))
        wanted = options["mlflow_models"] or len(names)
        models = [peer.mlflow_model(n, d, a) for n, d, a in names[:wanted]]
        mlflow_port = servers.free_port()
        store = OUT_DIR / "mlflow" / "mlflow.db"
        by_key = {f.key: f for f in figures}
        with servers.mlflow(executable, mlflow_port, options["workers"], store, OUT_DIR / "mlflow.log"):
            self.say(f"MLflow {executable} on 127.0.0.1:{mlflow_port} (SQLite {store})")
            peer.fill(mlflow_port, models, store, self.say)
            count = options["creates"]
            service = put_template["service"] if put_template else scenarios.default_service().fqn
            ours = peer.create_throughput(
                port,
                "Create a model",
                count,
                lambda i: {
                    "name": f"bench-create-{run_id}-{i}",
                    "service": service,
                    "algorithm": "XGBoost",
                    "description": "Created by the benchmark.",
                },
                "PUT",
                "/api/v1/mlmodels",
                creds.api(json_body=True),
                cleanup=lambda i, r: self.hard_delete(port, creds, r),
            )
            theirs = peer.create_throughput(
                mlflow_port,
                "Create a model",
                count,
                lambda i: peer.mlflow_model(f"bench-create-{run_id}-{i}", "Created by the benchmark.", "XGBoost"),
                "POST",
                f"{peer.API}/create",
                peer.JSON,
                cleanup=lambda i, r: request(
                    mlflow_port,
                    "DELETE",
                    f"{peer.API}/delete",
                    headers=peer.JSON,
                    body=json.dumps({"name": f"bench-create-{run_id}-{i}"}).encode(),
                ),
            )
            creates = [(ours, theirs)]
            if put_template:
                full = peer.create_throughput(
                    port,
                    "Create a model with 20 features × 2 sources",
                    count,
                    lambda i: dict(put_template, name=f"bench-full-{run_id}-{i}", description="Benchmark."),
                    "PUT",
                    "/api/v1/mlmodels",
                    creds.api(json_body=True),
                    cleanup=lambda i, r: self.hard_delete(port, creds, r),
                )
                creates.append((full, peer.Throughput("(MLflow keeps no features)", status="n/a")))
            for ours_t, theirs_t in creates:
                self.say(
                    f"  {ours_t.label}: ModelAtlas {ours_t.per_second:,.0f}/s ({ours_t.status}), "
                    f"MLflow {theirs_t.per_second:,.0f}/s ({theirs_t.status})"
                )
            registered = {m["name"] for m in models}
            get_name = targets.model.name if targets.model.name in registered else models[len(models) // 2]["name"]
            theirs_figures = peer.mlflow_figures(
                mlflow_port, scenarios.SEARCH_TERM, get_name, requests=options["requests"], warmup=options["warmup"]
            )

        def ours(key):
            return by_key.get(key, Figure(key, "", status="not run"))

        # Judged pairs ask each side for a page no cache has seen (another page or offset each time);
        # the rows asking for the same page again and again are shown beside them, unjudged.
        pairs = [
            (
                "List a page of 100, another page each time (API list with fields / registered-models search)",
                ours("api_list_uncached"),
                theirs_figures["list_pages"],
                True,
            ),
            ("List the same page of 100 again", ours("api_list"), theirs_figures["list"], False),
            (
                f"Name search “{scenarios.SEARCH_TERM}”, another page of 100 each time"
                " (API search / registered-models search filter)",
                ours("api_search_uncached"),
                theirs_figures["search_pages"],
                True,
            ),
            (
                f"Name search “{scenarios.SEARCH_TERM}”, the same page again",
                ours("api_search"),
                theirs_figures["search"],
                False,
            ),
            ("Get by name", ours("api_get_name"), theirs_figures["get"], True),
        ]
        return pairs, creates

    @staticmethod
    def hard_delete(port, creds, response) -> None:
        """Remove a model the create measurement made, so the catalogue keeps its size."""
        model_id = json.loads(response.body)["id"]
        request(port, "DELETE", f"/api/v1/mlmodels/{model_id}?hardDelete=true&recursive=true", headers=creds.api())

    def write_report(self, figures, pairs, creates, sizes, options, search_scans) -> None:
        floor = next((f for f in figures if f.key == "floor"), None)
        lines = [
            f"Run {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{connection.vendor} {connection.pg_version if connection.vendor == 'postgresql' else ''}, "
            f"gunicorn {options['workers']} workers; {options['requests']} timed requests per scenario after "
            f"{options['warmup']} warm-up. Load average when done: "
            f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} (other work on the machine inflates the figures).",
            "",
            "Catalogue: " + ", ".join(f"{v:,} {k}" for k, v in sizes.items()) + ".",
            "",
            *report.app_table(figures, floor),
        ]
        if pairs or creates:
            lines += ["", *report.peer_rows(pairs, creates)]
        lines += ["", *report.summary(figures, pairs), f"- Text search “{scenarios.SEARCH_TERM}”: {search_scans}"]
        text = "\n".join(lines) + "\n"
        self.stdout.write("\n" + text)
        Path(options["output"]).write_text(text)
        Path(options["output"]).with_suffix(".json").write_text(
            json.dumps(
                {
                    "sizes": sizes,
                    "figures": [f.as_dict() for f in figures],
                    "search_plans": search_scans,
                    "peer": [
                        {"label": label, "modelatlas": ours.as_dict(), "mlflow": theirs.as_dict(), "judged": judged}
                        for label, ours, theirs, judged in pairs
                    ],
                    "creates": [
                        {
                            "label": o.label,
                            "modelatlas_per_s": o.per_second,
                            "mlflow_per_s": t.per_second,
                            "modelatlas_status": o.status,
                            "mlflow_status": t.status,
                        }
                        for o, t in creates
                    ],
                },
                indent=2,
            )
        )
        self.stdout.write(f"Written to {options['output']} (and .json).")
