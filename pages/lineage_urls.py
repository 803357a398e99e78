"""Routes of the lineage pages: a node's diagram and exports, impact analysis, governance, manual edges."""

from django.urls import path

from pages.views import lineage as views

app_name = "lineage"
urlpatterns = [
    path("governance/", views.governance_page, name="governance"),
    path("mlmodel/<uuid:pk>/edges/", views.add_edge, name="edge_add"),
    path("edges/<int:pk>/remove/", views.remove_edge, name="edge_remove"),
    path("<slug:node_type>/<uuid:pk>/", views.node, name="node"),
    path("<slug:node_type>/<uuid:pk>/impact/", views.impact, name="impact"),
    path("<slug:node_type>/<uuid:pk>/lineage.<slug:fmt>", views.export, name="export"),
]
