"""The signed-in user's API token page: issue a token (shown once), list and revoke them.

Administrators also issue and revoke tokens for bots here, since a bot never
signs in to do it itself.
"""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from catalog.models import ApiToken, User
from catalog.permissions import token_holders


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=128, help_text="What the token is for, for example “nightly MLflow ingestion”."
    )
    days = forms.IntegerField(
        label="Expires after (days)", min_value=1, max_value=3650, required=False, help_text="Empty: never expires."
    )
    user = forms.ModelChoiceField(label="Acts as", queryset=User.objects.none(), required=False, empty_label=None)

    def __init__(self, *args, holder: User, **kwargs):
        super().__init__(*args, **kwargs)
        if holder.is_superuser:
            self.fields["user"].queryset = token_holders(holder)
            self.fields["user"].initial = holder.pk
            self.fields["user"].help_text = "Yourself, or a bot."
        else:
            del self.fields["user"]

    def clean_name(self):
        name = self.cleaned_data["name"]
        if "\x00" in name:
            raise forms.ValidationError("Must not contain NUL characters.")
        return name


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    """List the tokens; on POST issue one and show it this once (it is not stored, only its hash)."""
    form = TokenForm(request.POST or None, holder=request.user)
    issued = None
    if request.method == "POST" and form.is_valid():
        holder = form.cleaned_data.get("user") or request.user
        days = form.cleaned_data["days"]
        token, raw = ApiToken.issue(
            holder, form.cleaned_data["name"], expires_at=timezone.now() + timedelta(days=days) if days else None
        )
        issued = {"token": token, "raw": raw}
        form = TokenForm(holder=request.user)
    listed = ApiToken.objects.filter(user__in=token_holders(request.user)).select_related("user")
    response = render(request, "accounts/tokens.html", {"form": form, "issued": issued, "tokens": listed})
    # The page may show a secret: never let a cache keep it.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user__in=token_holders(request.user))
    token.revoke()
    messages.success(request, f"Token “{token.name}” of {token.user.username} is revoked.")
    return redirect("account_tokens")
