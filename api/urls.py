"""Routes of the OpenMetadata-compatible JSON API, mounted at /api/v1/.

No route ends with a slash and nothing redirects: the OpenMetadata SDK builds
paths without trailing slashes and does not follow redirects. By-name routes
take the decoded FQN as a path (the SDK sends ``/`` in names as ``%2F``), and
anything no route matches answers a JSON 404.
"""

from django.urls import path, re_path, register_converter

from api import errors, lineage, modelversions, search, system, views
from api.entities import KINDS

app_name = "catalog-api"


class NameConverter:
    """A fully qualified name: anything, newlines included (``<path:>`` stops at a newline)."""

    regex = r"[\s\S]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(NameConverter, "fqn")


def entity_routes(kind):
    c = kind.collection
    routes = [
        path(f"{c}", views.CollectionView.as_view(kind=kind), name=f"{kind.type}-list"),
        path(f"{c}/restore", views.RestoreView.as_view(kind=kind), name=f"{kind.type}-restore"),
        path(f"{c}/name/<fqn:fqn>", views.ByNameView.as_view(kind=kind), name=f"{kind.type}-by-name"),
        path(f"{c}/<str:pk>/versions", views.VersionsView.as_view(kind=kind), name=f"{kind.type}-versions"),
        path(f"{c}/<str:pk>/versions/<str:version>", views.VersionView.as_view(kind=kind), name=f"{kind.type}-version"),
    ]
    if kind.type == "mlmodel":
        routes.append(
            path(
                f"{c}/<str:pk>/versions/<str:version>/restore",
                views.HistoryRestoreView.as_view(kind=kind),
                name=f"{kind.type}-history-restore",
            )
        )
    if kind.followable:
        routes += [
            path(f"{c}/<str:pk>/followers", views.FollowersView.as_view(kind=kind), name=f"{kind.type}-followers"),
            path(
                f"{c}/<str:pk>/followers/<str:user_id>",
                views.FollowerView.as_view(kind=kind),
                name=f"{kind.type}-follower",
            ),
        ]
    routes.append(path(f"{c}/<str:pk>", views.ByIdView.as_view(kind=kind), name=f"{kind.type}-detail"))
    return routes


def model_part_routes():
    """Model versions, aliases and the card of an ML model (issue 12): resources beside its OpenMetadata document.

    Listed before the entity routes, whose by-name route would take ``<fqn>/modelVersions`` for an FQN.
    """
    mv = modelversions
    one = "mlmodels/<str:pk>/modelVersions/<str:number>"
    by_name = "mlmodels/name/<fqn:fqn>"
    return [
        path("mlmodels/<str:pk>/modelVersions", mv.ModelVersionsView.as_view(), name="mlmodel-model-versions"),
        path(one, mv.ModelVersionView.as_view(), name="mlmodel-model-version"),
        path(f"{one}/status", mv.ModelVersionStatusView.as_view(), name="mlmodel-model-version-status"),
        path(f"{one}/requests", mv.ModelVersionRequestsView.as_view(), name="mlmodel-model-version-requests"),
        path(f"{one}/approve", mv.ModelVersionApproveView.as_view(), name="mlmodel-model-version-approve"),
        path(f"{one}/reject", mv.ModelVersionRejectView.as_view(), name="mlmodel-model-version-reject"),
        path(f"{one}/metrics", mv.ModelVersionMetricsView.as_view(), name="mlmodel-model-version-metrics"),
        path("mlmodels/<str:pk>/aliases", mv.AliasesView.as_view(), name="mlmodel-aliases"),
        path("mlmodels/<str:pk>/aliases/<str:alias>", mv.AliasView.as_view(), name="mlmodel-alias"),
        path("mlmodels/<str:pk>/modelCard", mv.ModelCardView.as_view(), name="mlmodel-card"),
        path(f"{by_name}/modelVersions", mv.ModelVersionsByNameView.as_view(), name="mlmodel-model-versions-by-name"),
        path(
            f"{by_name}/modelVersions/<str:number>",
            mv.ModelVersionByNameView.as_view(),
            name="mlmodel-model-version-by-name",
        ),
        path(f"{by_name}/aliases", mv.AliasesByNameView.as_view(), name="mlmodel-aliases-by-name"),
        path(f"{by_name}/modelCard", mv.ModelCardByNameView.as_view(), name="mlmodel-card-by-name"),
    ]


urlpatterns = [
    path("system/version", system.SystemVersionView.as_view(), name="system-version"),
    path("openapi.json", system.SchemaView.as_view(), name="schema"),
    path("docs", system.DocsView.as_view(), name="docs"),
    path("docs/assets/<str:filename>", system.docs_asset, name="docs-asset"),
    path("search/query", search.SearchQueryView.as_view(), name="search-query"),
    path("lineage", lineage.AddLineageView.as_view(), name="lineage"),
    path("lineage/getLineageEdge/<str:from_id>/<str:to_id>", lineage.EdgeDetailsView.as_view(), name="lineage-edge"),
    path("lineage/<str:entity_type>/name/<fqn:fqn>", lineage.LineageByNameView.as_view(), name="lineage-by-name"),
    path(
        "lineage/<str:from_type>/<str:from_id>/<str:to_type>/<str:to_id>",
        lineage.EdgeView.as_view(),
        name="lineage-edge-change",
    ),
    path("lineage/<str:entity_type>/<str:pk>", lineage.LineageByIdView.as_view(), name="lineage-by-id"),
    *model_part_routes(),
]
for _kind in KINDS.values():
    urlpatterns += entity_routes(_kind)
urlpatterns.append(re_path(r"^[\s\S]*$", errors.unknown_route, name="unknown"))
