"""Hostile names survive the API unchanged: stored, served and found by FQN exactly as sent."""

import ast
from pathlib import Path
from urllib.parse import quote

import pytest

from catalog import fqn as fqnlib
from tests.api.conftest import error, put_service

HOSTILE_FILE = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "hostile-names.txt"


def hostile_names() -> list[str]:
    lines = HOSTILE_FILE.read_text(encoding="utf-8").splitlines() if HOSTILE_FILE.exists() else []
    names = [ast.literal_eval(line) for line in lines if line.strip() and not line.startswith("#")]
    return names or ["name.with.dots", '"quoted"', "<script>alert(1)</script>", "a/b", "hash#frag?query=1"]


#: Names the catalogue refuses by rule (blank, or containing OpenMetadata's reserved "::").
REFUSED = {name for name in hostile_names() if not name.strip() or "::" in name}
ACCEPTED = [name for name in hostile_names() if name not in REFUSED]


def by_name(api, collection, fqn, **extra):
    """GET by name the way the SDK does: the FQN quoted with nothing left safe."""
    return api.get(f"/{collection}/name/{quote(fqn, safe='')}", **extra)


@pytest.mark.parametrize("name", ACCEPTED)
def test_a_hostile_model_name_round_trips(as_editor, name):
    put_service(as_editor)
    created = as_editor.put("/mlmodels", {"name": name, "service": "models", "algorithm": "a", "description": name})
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["name"] == name
    assert data["fullyQualifiedName"] == fqnlib.build("models", name)

    found = by_name(as_editor, "mlmodels", data["fullyQualifiedName"])
    listed = as_editor.get("/mlmodels?limit=100").json()["data"]

    assert found.status_code == 200, found.content
    assert found.json()["id"] == data["id"]
    assert found.json()["name"] == name
    assert found.json()["description"] == name
    assert [m["name"] for m in listed] == [name]


@pytest.mark.parametrize("name", ACCEPTED)
def test_a_hostile_service_name_round_trips_into_its_models_fqns(as_editor, name):
    service = put_service(as_editor, name=name)
    model = as_editor.put("/mlmodels", {"name": "m", "service": service["fullyQualifiedName"], "algorithm": "a"})
    assert model.status_code == 201, model.content
    assert by_name(as_editor, "services/mlmodelServices", service["fullyQualifiedName"]).json()["name"] == name
    assert by_name(as_editor, "mlmodels", model.json()["fullyQualifiedName"]).json()["id"] == model.json()["id"]
    listed = as_editor.get(f"/mlmodels?service={quote(service['fullyQualifiedName'], safe='')}").json()
    assert [m["id"] for m in listed["data"]] == [model.json()["id"]]


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_names_are_a_400_naming_the_field(as_editor, name):
    response = as_editor.put("/services/mlmodelServices", {"name": name, "serviceType": "Mlflow"})
    assert response.status_code == 400
    assert error(response)["message"].startswith("name: ")


def test_a_hostile_column_name_round_trips(as_editor):
    names = [n for n in ACCEPTED if len(n) < 200][:12]
    as_editor.put("/services/databaseServices", {"name": "db", "serviceType": "Postgres"})
    as_editor.put("/databases", {"name": "d", "service": "db"})
    as_editor.put("/databaseSchemas", {"name": "s", "database": "db.d"})
    columns = [{"name": n, "dataType": "STRING"} for n in names]
    table = as_editor.put("/tables", {"name": "t", "databaseSchema": "db.d.s", "columns": columns})
    assert table.status_code == 201, table.content
    assert [c["name"] for c in by_name(as_editor, "tables", "db.d.s.t").json()["columns"]] == names
