"""Routes of the API token page (included by catalog/urls.py)."""

from django.urls import path

from catalog.api import token_views

urlpatterns = [
    path("account/tokens", token_views.tokens, name="account_tokens"),
    path("account/tokens/<int:pk>/revoke", token_views.revoke, name="account_token_revoke"),
]
