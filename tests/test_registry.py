"""The registry declares each entity type once, and every door serves exactly the types it declares."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from api import reads, schema
from api.entities import KINDS
from catalog import registry
from catalog.services import mlmodels
from lineage import graph, nodes, queries
from pages.views import lineage as lineage_pages

ROOT = Path(__file__).resolve().parent.parent


def test_every_type_with_a_collection_has_an_api_kind_and_no_kind_is_undeclared():
    assert KINDS.keys() == registry.COLLECTED.keys()


def test_each_collected_type_is_the_type_its_model_stores_and_each_model_finds_its_declaration():
    for name, declared in registry.COLLECTED.items():
        assert declared.model.entity_type == name
    for declared in registry.TYPES.values():
        assert registry.of(declared.model) is declared


def test_openmetadata_key_sets_exist_for_exactly_the_collected_types():
    for key_sets in (schema.CREATE_KEYS, schema.ENTITY_KEYS, schema.EXTRA_FIELD_NAMES):
        assert key_sets.keys() == registry.COLLECTED.keys()


def test_each_lineage_door_knows_exactly_the_lineage_types_the_registry_declares():
    lineage_types = {name for name, t in registry.TYPES.items() if t.lineage_node}
    entity_grain = {name for name, t in registry.TYPES.items() if t.lineage == registry.ENTITY_GRAIN}
    assert nodes.MODELS.keys() == graph.TYPE_WORDS.keys() == lineage_pages.PAGE_TYPES == lineage_types
    assert lineage_pages.LIST_PAGES.keys() == lineage_types
    assert queries.HELD_TYPES == entity_grain
    assert queries.ENTITY_TYPES & registry.TYPES.keys() == entity_grain


def test_a_type_shown_in_words_is_called_what_its_model_is_called():
    assert graph.TYPE_WORDS == {
        "mlmodel": "ML model",
        "table": "table",
        "dashboard": "dashboard",
        "column": "column",
        "mlfeature": "ML feature",
        "modelVersion": "model version",
    }


def test_api_reads_come_from_stored_documents_exactly_for_the_types_declared_to_have_them():
    for name, kind in KINDS.items():
        assert kind.reads is (reads.STORED_DOCUMENTS if registry.TYPES[name].stored_documents else reads.REBUILT)


def test_the_ml_model_service_checks_the_fields_the_registry_declares_and_refuses_any_other():
    declared = registry.TYPES["mlmodel"]
    for name in declared.url_fields:
        with pytest.raises(ValidationError) as refused:
            mlmodels.clean({name: "javascript:alert(1)"})
        assert name in refused.value.message_dict
    for name, limit in declared.text_fields.items():
        if limit is not None:
            with pytest.raises(ValidationError) as refused:
                mlmodels.clean({name: "x" * (limit + 1)})
            assert name in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        mlmodels.clean({"undeclared": ""})
    assert refused.value.message_dict == {"undeclared": ["Unknown field."]}


#: Declares one more lineage type in the registry before any door is imported, then reports what each door knows.
_DECLARE_AND_REPORT = """
import json
import django
django.setup()
from django.db import models
from catalog import registry

class Experiment(models.Model):
    class Meta:
        app_label = "catalog"
        verbose_name = "experiment"

registry.TYPES["experiment"] = registry.EntityType("experiment", Experiment, lineage=registry.ENTITY_GRAIN)
from lineage import graph, nodes, queries
from pages.views import lineage as pages
print(json.dumps({
    "models": "experiment" in nodes.MODELS,
    "words": graph.TYPE_WORDS.get("experiment"),
    "pages": "experiment" in pages.PAGE_TYPES,
    "held": "experiment" in queries.HELD_TYPES,
    "openmetadata": "experiment" in queries.ENTITY_TYPES,
}))
"""


def test_a_lineage_type_declared_in_the_registry_reaches_every_lineage_door_without_another_list():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", _DECLARE_AND_REPORT], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "models": True,
        "words": "experiment",
        "pages": True,
        "held": True,
        "openmetadata": True,
    }
