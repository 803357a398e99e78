"""Routes of the browser catalogue.

Names follow ``<thing>`` for a detail page, ``<thing>_list`` for a list and
``<thing>_<action>`` for the rest; other apps link to these names.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from pages.forms import SignInForm
from pages.views import autocomplete, cards, editing, explore, features, history, mlmodels, pages, tokens

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
    path("mlmodels/<uuid:pk>/card/", cards.mlmodel_card, name="mlmodel_card"),
    path("mlmodels/<uuid:pk>/versions/", history.mlmodel_versions, name="mlmodel_versions"),
    path("mlmodels/<uuid:pk>/versions/<str:version>/", history.mlmodel_version, name="mlmodel_version"),
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
