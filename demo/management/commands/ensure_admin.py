"""Creates the local run's admin login once and prints it on every run."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

CREDENTIALS_FILE = settings.BASE_DIR / "var" / "admin-login.txt"


class Command(BaseCommand):
    help = "Creates an admin login for a local run (password kept in var/admin-login.txt) and prints it."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options):
        User = get_user_model()
        try:
            # Empty, too long or with spaces, it would fail below or write an unreadable credentials file.
            User._meta.get_field(User.USERNAME_FIELD).clean(username, None)
        except ValidationError as error:
            raise CommandError(
                _("--username %(username)r: %(error)s") % {"username": username, "error": " ".join(error.messages)}
            ) from None
        if not User.objects.filter(username=username).exists() or not CREDENTIALS_FILE.exists():
            password = secrets.token_urlsafe(12)
            user, _created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@localhost"})
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
            CREDENTIALS_FILE.parent.mkdir(parents=True, exist_ok=True)
            CREDENTIALS_FILE.write_text(f"{username} {password}\n")
            CREDENTIALS_FILE.chmod(0o600)
        username, password = CREDENTIALS_FILE.read_text().split()
        self.stdout.write(
            self.style.SUCCESS(
                _("Admin login: %(username)s / password: %(password)s  (open %(url)s/admin/)")
                % {"username": username, "password": password, "url": settings.SITE_URL}
            )
        )
