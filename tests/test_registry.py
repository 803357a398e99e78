"""The registry declares each entity type once, and the API serves exactly the types it declares a collection for."""

from api.entities import KINDS
from catalog import registry


def test_every_type_with_a_collection_has_an_api_kind_and_no_kind_is_undeclared():
    assert KINDS.keys() == registry.COLLECTED.keys()


def test_each_collected_type_is_the_type_its_model_stores_and_each_model_finds_its_declaration():
    for name, declared in registry.COLLECTED.items():
        assert declared.model.entity_type == name
    for declared in registry.TYPES.values():
        assert registry.of(declared.model) is declared
