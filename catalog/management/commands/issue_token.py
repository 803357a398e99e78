"""Issue an API token for a user or a bot; the token is printed once and only its hash is kept."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from catalog.models import ApiToken, User
from catalog.services import assets


class Command(BaseCommand):
    help = "Issue an API token (for the OpenMetadata SDK or scripts) and print it once."

    def add_arguments(self, parser):
        parser.add_argument("username", help="The user the token acts as.")
        parser.add_argument("--name", default="command line", help="What the token is for.")
        parser.add_argument("--days", type=int, default=None, help="Expire the token after this many days.")
        parser.add_argument(
            "--create-bot",
            action="store_true",
            help="Create the user as a bot with the editor role if it does not exist yet.",
        )

    def handle(self, username, name, days, create_bot, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            if not create_bot:
                raise CommandError(f"No user {username!r}. Create it first, or pass --create-bot.")
            try:
                user = assets.save_user(
                    username, "system", is_bot=True, role=User.Role.EDITOR, email=f"{username}@bots.modelatlas.example"
                ).entity
            except ValidationError as exc:
                raise CommandError(f"Cannot create bot {username!r}: {exc}") from None
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        _, raw = ApiToken.issue(user, name, expires_at=expires_at)
        if not user.can_edit_catalogue:
            self.stderr.write(f"Note: {username} is read-only; this token can read but not write.")
        self.stdout.write(raw)
