"""Who is calling the API, and what they may do.

Programs send ``Authorization: Bearer <token>`` with a token issued by
ModelAtlas (``manage.py issue_token`` or the account's token page). Bearer
authentication comes first so a request without credentials is answered 401
(not 403), which is what OpenMetadata clients and API fuzzers expect. A
signed-in browser session also works, so the API docs page can try requests;
DRF's session authentication enforces CSRF for its writes.
"""

from rest_framework import authentication, exceptions, permissions

from api import throttles
from catalog.models import ApiToken, User
from catalog.permissions import can_edit, is_account, may_change_some


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """Authenticate ``Authorization: Bearer <token>`` against the stored token hashes.

    Each failure counts against the caller's address; past the limit the
    address hears 429 whether its token is right or wrong, so guessing stops
    paying even when a guess is right.
    """

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        call, token = throttles.TokenCall(request), None
        if len(header) != 2:
            message = "the Authorization header must be 'Bearer <token>'"
        else:
            try:
                token = ApiToken.authenticate(header[1].decode("ascii"), call.alongside)
            except UnicodeDecodeError:
                pass
            message = "the token is not valid, expired or revoked"
        if token is None:
            call.refused()
            raise exceptions.AuthenticationFailed(message)
        call.counted(token.user)
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


def refused(user: User, what: str, model=None) -> exceptions.PermissionDenied:
    reason = "only administrators manage accounts" if model is not None and is_account(model) else "read-only access"
    return exceptions.PermissionDenied(f"User {user.username} may not change {what}: {reason}")


def require_edit(user: User, entity=None, *, model=None) -> None:
    """Refuse (403) unless ``user`` may change ``entity`` (``None``: a new entity of ``model``)."""
    if not can_edit(user, entity, model=model):
        if entity is not None:
            raise refused(user, f"{entity.entity_type} {entity.fqn}", type(entity))
        raise refused(user, f"{model.entity_type}s" if model is not None else "the catalogue", model)


class SignedIn(permissions.BasePermission):
    """Every API route needs a user; an unsafe method also one who may change something there.

    That second question is asked before the view reads the request, so a
    caller who may change nothing of the route's type hears 403 before any
    400 or 404 about the body. A view whose writes are open to every reader
    (following a model) sets ``open_to_readers``; each write is still checked
    against its entity.
    """

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS or getattr(view, "open_to_readers", False):
            return True
        kind = getattr(view, "kind", None)
        model = kind.model if kind is not None else None
        if not may_change_some(user, model):
            raise refused(user, kind.collection if kind is not None else "the catalogue", model)
        return True
