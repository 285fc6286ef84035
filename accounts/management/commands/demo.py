"""Demo data for trying Tartip: one account per role in several districts (accounts.demo), one
shared password, and each app's demo data.

Each app adds what it needs as a step: a DemoBuilder declared in its apps.py (lib.plugins), naming
a function `step(command) -> None` that is imported only when the command runs. The steps run in
INSTALLED_APPS order, each in its own transaction. Every step must be idempotent: `make setup`
may run the command again.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from accounts.demo import DEMO_PASSWORD, DEMO_USERS
from accounts.models import PERSONAL_DATA_ROLES, Role, User
from lib.plugins import demo_builders


class Command(BaseCommand):
    help = "Create demo accounts for every role (idempotent). Refuses when DEBUG is off unless --force."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="create demo data even when DEBUG is off")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="when any user exists, only bring existing demo data up to today",
        )
        parser.add_argument(
            "--list", dest="show_list", action="store_true", help="print the demo logins and the shared password"
        )

    def handle(self, *args, force=False, if_empty=False, show_list=False, **options):
        if show_list:
            self.print_logins()
            return
        if not settings.DEBUG and not force:
            raise CommandError("Demo accounts share a published password: refused with DEBUG off (use --force).")
        if if_empty and User.objects.exists():
            # Made on an earlier day (or a real office's database): only the demo rows that exist
            # are brought up to today.
            for builder in demo_builders():
                with transaction.atomic():
                    builder.run_refresh(self)
            return
        for builder in demo_builders():
            with transaction.atomic():
                builder.run(self)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Shared demo password: {DEMO_PASSWORD}"))

    @translation.override("en")
    def print_logins(self):
        users = {u.username: u for u in User.objects.filter(username__in=[d.username for d in DEMO_USERS])}
        rows = [
            (
                d.username,
                str(Role(d.role).label),
                users[d.username].organisation.code if users[d.username].organisation_id else "—",
                "yes" if d.role in PERSONAL_DATA_ROLES else "",
            )
            for d in DEMO_USERS
            if d.username in users
        ]
        if not rows:
            self.stdout.write("No demo accounts: run `python manage.py demo`.")
            return
        self.stdout.write(format_table(("login", "role", "organisation", "2nd factor"), rows))
        self.stdout.write(f"\n  Password for every demo login: {DEMO_PASSWORD}")
        self.stdout.write("  Logins marked '2nd factor' set up an authenticator app (TOTP) at their first login.")


def format_table(header: tuple, rows: list[tuple]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(cells) -> str:
        return ("  " + "  ".join(str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True))).rstrip()

    return "\n".join([line(header), line("-" * width for width in widths), *(line(row) for row in rows)])
