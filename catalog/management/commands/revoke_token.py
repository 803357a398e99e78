"""Revoke API tokens of a user: one by name, hint or the token itself, or all of them."""

from django.core.management.base import BaseCommand, CommandError

from catalog.models import ApiToken
from catalog.models.tokens import hash_token


class Command(BaseCommand):
    help = "Revoke API tokens of a user (by token name, hint or the token itself, or --all)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("token", nargs="?", help="The token's name, its hint (first characters) or the token.")
        parser.add_argument("--all", action="store_true", help="Revoke every token of the user.")

    def handle(self, username, token, **options):
        tokens = list(ApiToken.objects.filter(user__username=username, revoked_at__isnull=True))
        if not options["all"]:
            if not token:
                raise CommandError("Name the token to revoke, or pass --all.")
            tokens = [t for t in tokens if token in (t.name, t.hint) or t.key_hash == hash_token(token)]
        if not tokens:
            raise CommandError(f"No active token of {username!r} matches.")
        for item in tokens:
            item.revoke()
            self.stdout.write(f"Revoked {item}")
