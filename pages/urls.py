"""Routes of the browser catalogue.

Names follow ``<thing>`` for a detail page, ``<thing>_list`` for a list and
``<thing>_<action>`` for the rest; other apps link to these names.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from pages.forms import SignInForm
from pages.views import autocomplete, cards, editing, explore, features, history, mlmodels, modelversions, pages, tokens

urlpatterns = [
    path("", pages.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The signed-in user's API tokens.
    path("account/tokens", tokens.tokens, name="account_tokens"),
    path("account/tokens/<int:pk>/revoke", tokens.revoke, name="account_token_revoke"),
    # ML models
    path("mlmodels/", explore.explore, name="explore"),
    path("mlmodels/<uuid:pk>/", mlmodels.mlmodel_detail, name="mlmodel"),
    path("mlmodels/<uuid:pk>/follow/", mlmodels.mlmodel_follow, name="mlmodel_follow"),
    path("mlmodels/<uuid:pk>/history/", history.mlmodel_history, name="mlmodel_history"),
    path("mlmodels/<uuid:pk>/history/<str:version>/", history.mlmodel_history_version, name="mlmodel_history_version"),
    path(
        "mlmodels/<uuid:pk>/history/<str:version>/restore/",
        history.mlmodel_history_restore,
        name="mlmodel_history_restore",
    ),
    # Model versions (1, 2, 3…: trained artifacts), not the history versions above
    path(
        "mlmodels/<uuid:pk>/model-versions/compare/",
        modelversions.model_version_compare,
        name="model_version_compare",
    ),
    # A metric's name may hold a slash (MLflow's "val/auc"): the last segment takes the rest of the path.
    path(
        "mlmodels/<uuid:pk>/model-versions/metrics/<path:metric>.svg",
        modelversions.model_metric_chart,
        name="model_metric_chart",
    ),
    path("mlmodels/<uuid:pk>/model-versions/<int:number>/", modelversions.model_version, name="model_version"),
    path("model-versions/<uuid:pk>/", modelversions.model_version_by_id, name="model_version_by_id"),
    path(
        "mlmodels/<uuid:pk>/model-versions/<int:number>/alias/",
        modelversions.model_version_alias,
        name="model_version_alias",
    ),
    path(
        "mlmodels/<uuid:pk>/model-versions/<int:number>/status/",
        modelversions.model_version_status,
        name="model_version_status",
    ),
    path(
        "mlmodels/<uuid:pk>/model-versions/<int:number>/review/",
        modelversions.model_version_review,
        name="model_version_review",
    ),
    path("mlmodels/<uuid:pk>/card/", cards.mlmodel_card, name="mlmodel_card"),
    path("mlmodels/<uuid:pk>/fields/<str:name>/edit/", editing.edit_field, name="mlmodel_field_edit"),
    path(
        "mlmodels/<uuid:pk>/hyperparameters/add/",
        features.row_add,
        {"kind": "hyperparameter"},
        name="mlmodel_hyperparameter_add",
    ),
    path(
        "mlmodels/<uuid:pk>/hyperparameters/<int:index>/edit/",
        features.row_edit,
        {"kind": "hyperparameter"},
        name="mlmodel_hyperparameter_edit",
    ),
    path(
        "mlmodels/<uuid:pk>/hyperparameters/<int:index>/remove/",
        features.row_remove,
        {"kind": "hyperparameter"},
        name="mlmodel_hyperparameter_remove",
    ),
    path("mlmodels/<uuid:pk>/features/add/", features.row_add, {"kind": "feature"}, name="mlmodel_feature_add"),
    path(
        "mlmodels/<uuid:pk>/features/<uuid:feature_id>/edit/",
        features.row_edit,
        {"kind": "feature"},
        name="mlmodel_feature_edit",
    ),
    path(
        "mlmodels/<uuid:pk>/features/<uuid:feature_id>/remove/",
        features.row_remove,
        {"kind": "feature"},
        name="mlmodel_feature_remove",
    ),
    path(
        "mlmodels/<uuid:pk>/features/<uuid:feature_id>/sources/add/",
        features.row_add,
        {"kind": "source"},
        name="mlmodel_source_add",
    ),
    path(
        "mlmodels/<uuid:pk>/features/<uuid:feature_id>/sources/<int:index>/edit/",
        features.row_edit,
        {"kind": "source"},
        name="mlmodel_source_edit",
    ),
    path(
        "mlmodels/<uuid:pk>/features/<uuid:feature_id>/sources/<int:index>/remove/",
        features.row_remove,
        {"kind": "source"},
        name="mlmodel_source_remove",
    ),
    # What models are built from and belong to
    path("tables/", pages.table_list, name="table_list"),
    path("tables/<uuid:pk>/", pages.table_detail, name="table"),
    path("columns/<uuid:pk>/", pages.column_detail, name="column"),
    path("dashboards/", pages.dashboard_list, name="dashboard_list"),
    path("dashboards/<uuid:pk>/", pages.dashboard_detail, name="dashboard"),
    path("people/", pages.people, name="people"),
    path("users/<uuid:pk>/", pages.user_detail, name="user"),
    path("teams/<uuid:pk>/", pages.team_detail, name="team"),
    path("tags/", pages.tag_list, name="tag_list"),
    path("tags/<uuid:pk>/", pages.tag_detail, name="tag"),
    path("services/", pages.service_list, name="service_list"),
    path("services/<uuid:pk>/", pages.service_detail, name="service"),
    # Suggestions for the edit forms' pickers
    path("autocomplete/tags/", autocomplete.tags, name="autocomplete_tags"),
    path("autocomplete/owners/", autocomplete.owners, name="autocomplete_owners"),
    path("autocomplete/dashboards/", autocomplete.dashboards, name="autocomplete_dashboards"),
    path("autocomplete/tables/", autocomplete.tables, name="autocomplete_tables"),
    path("autocomplete/columns/", autocomplete.columns, name="autocomplete_columns"),
]
