"""Routes of the OpenMetadata-compatible JSON API, mounted at /api/v1/.

No route ends with a slash and nothing redirects: the OpenMetadata SDK builds
paths without trailing slashes and does not follow redirects. By-name routes
take the decoded FQN as a path (the SDK sends ``/`` in names as ``%2F``), and
anything no route matches answers a JSON 404.
"""

from django.urls import path, re_path, register_converter

from api import errors, lineage, search, system, views
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
]
for _kind in KINDS.values():
    urlpatterns += entity_routes(_kind)
urlpatterns.append(re_path(r"^[\s\S]*$", errors.unknown_route, name="unknown"))
