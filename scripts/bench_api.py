#!/usr/bin/env python
"""Benchmark the OpenMetadata-compatible API with the real OpenMetadata SDK.

Prints models/second for:
  1. N plain ``create_or_update`` calls (one new model each; default 1,000);
  2. PUTs of a model with 20 features, each fed by a table column (new models, then the same
     bodies again, which change nothing).

By default it starts its own ModelAtlas (gunicorn, a throwaway SQLite database,
a bot token) and stops it afterwards; ``--url`` and ``--token`` measure a
server that is already running instead. Needs the test requirements (the SDK):

    .venv/bin/python scripts/bench_api.py [--models 1000] [--feature-models 100]
"""

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(workdir: Path):
    """Migrate a fresh database, issue a bot token, start gunicorn; return (url, token, process)."""
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    token = subprocess.run(
        [*manage, "issue_token", f"bench-{port}", "--create-bot", "--name", "benchmark"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    gunicorn = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    process = subprocess.Popen([*gunicorn, "--log-level", "warning"], env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/api/v1/system/version", timeout=1)  # noqa: S310 (local URL)
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.terminate()
        raise SystemExit("the benchmark server did not start")
    return url, token, process


def rate(label: str, count: int, seconds: float) -> None:
    print(f"{label}: {count} models in {seconds:.1f} s = {count / seconds:.1f} models/second")


def run(url: str, token: str, models: int, feature_models: int, features: int) -> None:
    from metadata.generated.schema.api.data.createDatabase import CreateDatabaseRequest
    from metadata.generated.schema.api.data.createDatabaseSchema import CreateDatabaseSchemaRequest
    from metadata.generated.schema.api.data.createMlModel import CreateMlModelRequest
    from metadata.generated.schema.api.data.createTable import CreateTableRequest
    from metadata.generated.schema.api.services.createDatabaseService import CreateDatabaseServiceRequest
    from metadata.generated.schema.api.services.createMlModelService import CreateMlModelServiceRequest
    from metadata.generated.schema.entity.data.mlmodel import FeatureSource, MlFeature, MlHyperParameter
    from metadata.generated.schema.entity.data.table import Column, DataType, Table
    from metadata.generated.schema.entity.services.connections.metadata.openMetadataConnection import (
        OpenMetadataConnection,
    )
    from metadata.generated.schema.entity.services.databaseService import DatabaseServiceType
    from metadata.generated.schema.entity.services.mlmodelService import MlModelServiceType
    from metadata.generated.schema.security.client.openMetadataJWTClientConfig import OpenMetadataJWTClientConfig
    from metadata.ingestion.ometa.ometa_api import OpenMetadata

    metadata = OpenMetadata(
        OpenMetadataConnection(
            hostPort=f"{url}/api",
            authProvider="openmetadata",
            securityConfig=OpenMetadataJWTClientConfig(jwtToken=token),
        )
    )
    run_id = secrets.token_hex(3)
    service = metadata.create_or_update(
        CreateMlModelServiceRequest(name=f"bench-{run_id}", serviceType=MlModelServiceType.Mlflow)
    )

    started = time.perf_counter()
    for i in range(models):
        metadata.create_or_update(
            CreateMlModelRequest(name=f"model-{i:05d}", algorithm="GLM", service=service.fullyQualifiedName)
        )
    rate(f"create_or_update, {models} new models", models, time.perf_counter() - started)

    database_service = metadata.create_or_update(
        CreateDatabaseServiceRequest(name=f"bench-db-{run_id}", serviceType=DatabaseServiceType.Postgres)
    )
    database = metadata.create_or_update(CreateDatabaseRequest(name="db", service=database_service.fullyQualifiedName))
    schema = metadata.create_or_update(CreateDatabaseSchemaRequest(name="s", database=database.fullyQualifiedName))
    table = metadata.create_or_update(
        CreateTableRequest(
            name="features",
            databaseSchema=schema.fullyQualifiedName,
            columns=[Column(name=f"c{i}", dataType=DataType.DOUBLE) for i in range(features)],
        )
    )
    source = metadata.get_entity_reference(entity=Table, fqn=table.fullyQualifiedName)

    def wide(i):
        return CreateMlModelRequest(
            name=f"wide-{i:05d}",
            algorithm="XGBoost",
            service=service.fullyQualifiedName,
            mlFeatures=[
                MlFeature(
                    name=f"f{j}",
                    dataType="numerical",
                    featureSources=[FeatureSource(name=f"c{j}", dataType="number", dataSource=source)],
                )
                for j in range(features)
            ],
            mlHyperParameters=[MlHyperParameter(name="max_depth", value="6")],
        )

    bodies = [wide(i) for i in range(feature_models)]
    started = time.perf_counter()
    for body in bodies:
        metadata.create_or_update(body)
    rate(f"PUT creating a model with {features} features", feature_models, time.perf_counter() - started)
    started = time.perf_counter()
    for body in bodies:
        metadata.create_or_update(body)
    rate(f"PUT of an unchanged model with {features} features", feature_models, time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="A running ModelAtlas (e.g. http://127.0.0.1:8000); needs --token.")
    parser.add_argument("--token", help="An API token of an editor or bot on that server.")
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--feature-models", type=int, default=100)
    parser.add_argument("--features", type=int, default=20)
    args = parser.parse_args()
    if bool(args.url) != bool(args.token):
        parser.error("--url and --token go together")
    if args.url:
        run(args.url.rstrip("/"), args.token, args.models, args.feature_models, args.features)
        return
    with tempfile.TemporaryDirectory() as workdir:
        url, token, process = start_server(Path(workdir))
        try:
            print(f"benchmark server: {url} (database: {os.environ.get('DATABASE_URL') or 'SQLite, throwaway'})")
            run(url, token, args.models, args.feature_models, args.features)
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
