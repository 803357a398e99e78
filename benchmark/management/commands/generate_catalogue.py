"""Fill an empty database with a synthetic catalogue (by default the 10,000-model benchmark one)."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from benchmark import synthetic


class Command(BaseCommand):
    help = (
        "Generate a synthetic catalogue: by default 10,000 models x 20 features x 2 sources, 5,000 tables x 20 "
        "columns, 1,000 users, 200 teams, with tags, dashboards, model cards, 3 model versions x 10 metrics per model "
        "(aliases, an approved production version), history and lineage. "
        "The same --seed gives the same catalogue."
    )

    def add_arguments(self, parser):
        defaults = synthetic.Scale()
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply the number of models, tables, users, teams and dashboards (default 1).",
        )
        for name in (
            "models",
            "tables",
            "users",
            "teams",
            "dashboards",
            "features_per_model",
            "sources_per_feature",
            "columns_per_table",
        ):
            parser.add_argument(
                f"--{name.replace('_', '-')}",
                type=int,
                dest=name,
                default=None,
                help=f"Default {getattr(defaults, name):,} (before --scale for totals).",
            )
        parser.add_argument(
            "--flush",
            action="store_true",
            help="Empty the whole database first (manage.py flush): everything in it is lost.",
        )

    def handle(self, *args, **options):
        scale = synthetic.Scale().scaled(options["scale"]) if options["scale"] != 1 else synthetic.Scale()
        overrides = {name: options[name] for name in scale.as_dict() if options.get(name) is not None}
        for name, value in overrides.items():
            if value < (0 if name == "dashboards" else 1):
                raise CommandError(f"--{name.replace('_', '-')} must be at least 1")
        scale = synthetic.Scale(**{**scale.as_dict(), **overrides})
        if options["flush"]:
            call_command("flush", interactive=False, verbosity=0)
        started = time.monotonic()

        def progress(message):
            self.stdout.write(f"  {time.monotonic() - started:6.1f} s  {message}")

        self.stdout.write(
            f"Generating {', '.join(f'{k}={v:,}' for k, v in scale.as_dict().items())} with seed {options['seed']} ..."
        )
        try:
            counts = synthetic.generate(scale, seed=options["seed"], progress=progress)
        except synthetic.CatalogueNotEmpty as exc:
            raise CommandError(f"{exc}; run with --flush to empty the database first") from None
        elapsed = time.monotonic() - started
        rows = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(f"Wrote {rows:,} rows in {elapsed:.1f} s ({rows / elapsed:,.0f} rows/s)."))
        for label, count in sorted(counts.items()):
            self.stdout.write(f"  {label:40} {count:>10,}")
