"""catalog.search.matching_model_ids: what a text finds, on PostgreSQL (indexed words) and SQLite (substrings)."""

import pytest
from django.db import connection

from catalog import search
from catalog.services import deletion, mlmodels


def found(text) -> set[str]:
    from catalog.models import MlModel

    return set(MlModel.objects.filter(pk__in=list(search.matching_model_ids(text))).values_list("name", flat=True))


@pytest.fixture
def fraud_model(ml_service, editor):
    return mlmodels.create_mlmodel(
        ml_service,
        "fraud_detector",
        editor,
        algorithm="IsolationForest",
        display_name="Card fraud",
        description="Flags suspicious card payments.",
        hyperparameters=[mlmodels.HyperParameterSpec(name="contamination", value="0.01")],
    ).entity


@pytest.mark.parametrize(
    "text, expected",
    [
        ("churn", {"churn"}),  # name
        ("FRAUD", {"fraud_detector"}),  # name and display name, any case
        ("detector", {"fraud_detector"}),  # a part of a name between underscores
        ("suspicious", {"fraud_detector"}),  # description
        ("xgboost", {"churn"}),  # algorithm
        ("persona", {"churn"}),  # feature
        ("contamination", {"fraud_detector"}),  # hyperparameter
        ("customers", {"churn"}),  # the table a source reads
        ("birth_date", {"churn"}),  # a column a source reads
        ("irth", {"churn"}),  # inside a word
        ("nothing-like-this", set()),
        ("   ", set()),
    ],
)
def test_a_text_finds_models_by_any_of_their_names(churn_model, fraud_model, text, expected):
    assert found(text) == expected


def test_soft_deleted_models_are_found_too_for_the_caller_to_keep_or_drop(churn_model, editor):
    deletion.delete(churn_model, editor)
    assert found("churn") == {"churn"}


def test_a_change_is_found_at_once(churn_model, editor):
    mlmodels.update_mlmodel(churn_model, editor, description="Retention scoring")
    assert found("retention") == {"churn"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the words index is PostgreSQL's")
def test_on_postgresql_every_word_typed_must_match_somewhere(churn_model, fraud_model):
    assert found("card payments") == {"fraud_detector"}
    assert found("payments card") == {"fraud_detector"}
    assert found("card churn") == set()
