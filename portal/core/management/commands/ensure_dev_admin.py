import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

CREDENTIALS_FILE = Path(settings.BASE_DIR) / ".dev-admin"
USERNAME = "admin"


def credentials() -> tuple[str, str] | None:
    """The development administrator's user name and password, once this command made them."""
    if not CREDENTIALS_FILE.exists():
        return None
    return USERNAME, CREDENTIALS_FILE.read_text(encoding="utf-8").strip()


class Command(BaseCommand):
    help = (
        "Create the development administrator (DEBUG only) and print its credentials. "
        "The password is random, made once and kept in the git-ignored file .dev-admin."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_dev_admin is for development only (DEBUG is off).")
        username, password = credentials() or (USERNAME, secrets.token_urlsafe(12))
        if not CREDENTIALS_FILE.exists():
            CREDENTIALS_FILE.write_text(password + "\n", encoding="utf-8")
            CREDENTIALS_FILE.chmod(0o600)
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"email": "admin@example.invalid"}
        )
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        if options["verbosity"] < 1:  # make run: `runserver` prints them last
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Development admin: http://127.0.0.1:8000/admin/  user: {username}  "
                f"password: {password}"
            )
        )
