"""Demo data for trying Tartip: one account per role in several districts, one shared password.

Each app adds what it needs as a step: a function `step(command) -> None` listed in
`DEMO_STEPS` (dotted paths, so an app's step is imported only when the command runs). Every
step must be idempotent: `make setup` may run the command again.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from django.utils.module_loading import import_string

from accounts.models import PERSONAL_DATA_ROLES, Organisation, Role, User

# Shared by every demo account; printed by `demo --list`. Never used outside demo data.
DEMO_PASSWORD = "tartip-demo-2025"

DEMO_STEPS = [
    "accounts.management.commands.demo.create_demo_users",
    "signals.demo.create_demo_reports",
    "supervision.demo.create_demo_acts",
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    organisation_code: str | None
    first_name: str
    last_name: str


DEMO_USERS = [
    DemoUser("citizen", Role.CITIZEN, None, "Аружан", "Сейітова"),
    # Responsible bodies in three districts and the city.
    DemoUser("police.alga", Role.BODY_OFFICER, "akt-police-alga", "Ержан", "Тлеубаев"),
    DemoUser("akimat.alga", Role.BODY_OFFICER, "akt-akimat-alga", "Гүлнар", "Жұмабаева"),
    DemoUser("police.temir", Role.BODY_OFFICER, "akt-police-temir", "Серік", "Қалиев"),
    DemoUser("police.mugalzhar", Role.BODY_OFFICER, "akt-police-mugalzhar", "Дәурен", "Есенов"),
    DemoUser("police.city", Role.BODY_OFFICER, "akt-police-city", "Марат", "Оспанов"),
    # District and city prosecutors.
    DemoUser("prosecutor.alga", Role.DISTRICT_PROSECUTOR, "akt-prok-alga", "Асель", "Нұрланова"),
    DemoUser("prosecutor.temir", Role.DISTRICT_PROSECUTOR, "akt-prok-temir", "Бауыржан", "Әбілов"),
    DemoUser("prosecutor.mugalzhar", Role.DISTRICT_PROSECUTOR, "akt-prok-mugalzhar", "Жанар", "Ахметова"),
    DemoUser("prosecutor.city", Role.DISTRICT_PROSECUTOR, "akt-prok-city", "Нұрлан", "Байжанов"),
    # The regional office.
    DemoUser("department", Role.DEPARTMENT_PROSECUTOR, "akt-prok-region", "Айдос", "Сұлтанов"),
    DemoUser("analyst", Role.ANALYST, "akt-prok-region", "Динара", "Керейова"),
    DemoUser("regional", Role.REGIONAL_PROSECUTOR, "akt-prok-region", "Талғат", "Мұхамеджанов"),
    DemoUser("secretary", Role.BOARD_SECRETARY, "akt-prok-region", "Сәуле", "Исмаилова"),
    DemoUser("admin", Role.ADMIN, "akt-prok-region", "Ерлан", "Жақсылықов"),
    # External partners.
    DemoUser("bank.halyk", Role.PARTNER, "bank-halyk", "Мадина", "Омарова"),
    DemoUser("antifraud", Role.PARTNER, "nbk-antifraud", "Қанат", "Дүйсенов"),
]


class Command(BaseCommand):
    help = "Create demo accounts for every role (idempotent). Refuses when DEBUG is off unless --force."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="create demo data even when DEBUG is off")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when any user exists")
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
            return
        for path in DEMO_STEPS:
            with transaction.atomic():
                import_string(path)(self)
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


def create_demo_users(command) -> None:
    """One account per demo person; an account that exists is brought back to its demo role."""
    organisations = Organisation.objects.in_bulk(
        [d.organisation_code for d in DEMO_USERS if d.organisation_code], field_name="code"
    )
    for demo in DEMO_USERS:
        organisation = organisations.get(demo.organisation_code) if demo.organisation_code else None
        if demo.organisation_code and organisation is None:
            command.stderr.write(
                command.style.WARNING(f"Skipped {demo.username}: organisation {demo.organisation_code} is missing.")
            )
            continue
        is_admin = demo.role == Role.ADMIN
        user, created = User.objects.update_or_create(
            username=demo.username,
            defaults={
                "role": demo.role,
                "organisation": organisation,
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "is_staff": is_admin,
                "is_superuser": is_admin,
            },
        )
        if created:
            # Hashing is slow by design (Argon2): only new accounts get the password.
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
