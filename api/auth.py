"""Who is calling the API, and what they may do.

Programs send ``Authorization: Bearer <token>`` with a token issued by
ModelAtlas (``manage.py issue_token`` or the account's token page). Bearer
authentication comes first so a request without credentials is answered 401
(not 403), which is what OpenMetadata clients and API fuzzers expect. A
signed-in browser session also works, so the API docs page can try requests;
DRF's session authentication enforces CSRF for its writes.
"""

from rest_framework import authentication, exceptions, permissions

from catalog.models import ApiToken, User
from catalog.permissions import can_edit


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """Authenticate ``Authorization: Bearer <token>`` against the stored token hashes."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("the Authorization header must be 'Bearer <token>'")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("the token is not valid") from None
        token = ApiToken.authenticate(raw)
        if token is None:
            raise exceptions.AuthenticationFailed("the token is not valid, expired or revoked")
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


def require_edit(user: User, entity=None) -> None:
    if not can_edit(user, entity):
        what = f"{entity.entity_type} {entity.fqn}" if entity is not None else "the catalogue"
        raise exceptions.PermissionDenied(f"User {user.username} may not change {what}: read-only access")


class SignedIn(permissions.BasePermission):
    """Every API route needs a user; what they may write is checked per entity."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)
