"""Property-based fuzzing of /api/v1 from its own OpenAPI schema, with schemathesis.

schemathesis runs from its own virtualenv (``.venv-fuzz``, made by
``scripts/bootstrap --test`` from requirements-fuzz.txt) against
``live_server``, on the test database with the demo catalogue loaded, as an
administrator (who may call every operation). Every operation gets a bounded
number of generated requests, valid and invalid; the run fails on any 5xx
and on any answer the schema does not describe: its status, its content type
or its body.

The served schema describes what any request may carry; so that the fuzzer
also reaches past "parent not found" and "no such id", the copy it is given
lists the demo's own ids and names as the values of path parameters, parent
references and tag labels (its invalid requests still stray from them).
"""

import io
import json
import os
import subprocess
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from api.entities import KINDS
from catalog import registry, representations
from catalog.models import ApiToken, ModelAlias, ModelVersion, Tag, User
from lineage import queries

FUZZER = Path(__file__).resolve().parents[2] / ".venv-fuzz" / "bin" / "schemathesis"
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
#: Generated requests per operation and phase: 142 operations stay well inside a few minutes.
MAX_EXAMPLES = 6
#: A fixed seed keeps CI reproducible; set FUZZ_SEED to explore other inputs.
SEED = os.environ.get("FUZZ_SEED", "20261204")

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]


def _demo_values(schema: dict, fuzzer: User) -> dict:
    """Give path parameters, parents, tag labels and the ids bodies name the demo's values to choose from.

    The fuzzer's own account is left out: deleting it would stop its token.
    """
    by_collection = {kind.collection: kind for kind in KINDS.values()}
    lineage_ids = [
        str(pk) for name in queries.HELD_TYPES for pk in registry.TYPES[name].model.objects.values_list("pk", flat=True)
    ]
    for path, item in schema["paths"].items():
        for operation in item.values():
            kind = by_collection.get(operation["tags"][0])
            for parameter in operation.get("parameters", []):
                values = _parameter_values(parameter["name"], kind, lineage_ids, fuzzer)
                if values:
                    parameter["schema"] = {**parameter["schema"], "enum": values}
            for media in operation.get("requestBody", {}).get("content", {}).values():
                _body_values(path, media["schema"], kind, lineage_ids, fuzzer)
    components = schema["components"]["schemas"]
    for kind in KINDS.values():
        if kind.parent_key:
            parents = KINDS[kind.parent_type].model.objects.filter(deleted=False)
            create = components[f"Create{kind.type[0].upper()}{kind.type[1:]}"]
            create["properties"][kind.parent_key] = {"type": "string", "enum": sorted(p.fqn for p in parents)}
    tags = sorted(Tag.objects.filter(deleted=False).values_list("fqn", flat=True))
    components["TagLabelInput"]["properties"]["tagFQN"] = {"type": "string", "enum": tags}
    return schema


def _body_values(path: str, body: dict, kind, lineage_ids, fuzzer: User) -> None:
    """The ids a restore, a follower and a lineage edge name."""
    if path.endswith("/restore"):
        body["properties"]["id"]["enum"] = [str(pk) for pk in kind.model.objects.values_list("pk", flat=True)]
    elif path.endswith("/followers"):
        body["enum"] = [str(pk) for pk in User.objects.exclude(pk=fuzzer.pk).values_list("pk", flat=True)]
    elif path.endswith("/lineage"):
        for end in ("fromEntity", "toEntity"):
            reference = body["properties"]["edge"]["properties"][end]["properties"]
            reference["id"]["enum"] = lineage_ids
            reference["type"]["enum"] = sorted(queries.HELD_TYPES)


def _parameter_values(name: str, kind, lineage_ids, fuzzer: User) -> list[str]:
    if name in ("from_id", "to_id") or (name == "id" and kind is None):
        return lineage_ids
    if kind is None:
        return []
    rows = kind.model.objects.exclude(pk=fuzzer.pk) if kind.model is User else kind.model.objects.all()
    if name == "id":
        return [str(pk) for pk in rows.values_list("pk", flat=True)]
    if name == "fqn":
        return sorted(row.fqn for row in rows)
    if name == "version":
        return sorted({str(representations.version_number(row.version)) for row in rows} | {"0.1"})
    if name == "number":
        return sorted({str(n) for n in ModelVersion.objects.values_list("number", flat=True)})
    if name == "alias":
        return sorted(set(ModelAlias.objects.values_list("name", flat=True)))
    if name == "user_id":
        return [str(pk) for pk in User.objects.exclude(pk=fuzzer.pk).values_list("pk", flat=True)]
    return []


def test_the_fuzzer_finds_no_server_error_and_no_answer_the_schema_does_not_describe(live_server, tmp_path):
    assert FUZZER.exists(), f"{FUZZER} is missing: run scripts/bootstrap --test"
    call_command("load_demo", stdout=io.StringIO())
    admin = User.objects.create_superuser("fuzzer", "fuzzer@example.com", "pw-fuzzer-1")
    token = ApiToken.issue(admin, "fuzzing")[1]
    with urllib.request.urlopen(f"{live_server.url}/api/v1/openapi.json") as response:
        schema = _demo_values(json.load(response), admin)
    schema_file = tmp_path / "openapi.json"
    schema_file.write_text(json.dumps(schema))

    command = [
        str(FUZZER),
        "--no-color",
        "run",
        str(schema_file),
        f"--url={live_server.url}",
        f"--header=Authorization: Bearer {token}",
        "--generation-with-security-parameters=false",
        f"--checks={CHECKS}",
        "--phases=examples,fuzzing",
        f"--max-examples={MAX_EXAMPLES}",
        f"--seed={SEED}",
        "--workers=1",
        "--request-timeout=30",
        "--generation-database=none",
    ]
    # Deletes go last: a recursive hard delete of a demo service would leave the other operations nothing to find.
    failed = []
    for selection in ("--exclude-method=DELETE", "--include-method=DELETE"):
        run = subprocess.run([*command, selection], cwd=tmp_path, capture_output=True, text=True, timeout=600)
        print(run.stdout, run.stderr)
        if run.returncode != 0:
            failed.append(f"schemathesis run {selection} found failures:\n{run.stdout}\n{run.stderr}")
    assert not failed, "\n".join(failed)
