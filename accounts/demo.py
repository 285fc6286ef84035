"""The demo accounts: one per role in several districts, one shared password (a step of `manage.py
demo`, declared in accounts/apps.py). The other apps' demo data is signed by these accounts.
"""

from dataclasses import dataclass

from accounts.models import Organisation, Role, User

# Shared by every demo account; printed by `demo --list`. Never used outside demo data.
DEMO_PASSWORD = "tartip-demo-2025"


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
    # The acts of the board's business section: the Irgiz district prosecutor's annulled rulings.
    DemoUser("prosecutor.irgiz", Role.DISTRICT_PROSECUTOR, "akt-prok-irgiz", "Ерболат", "Сапаров"),
    # The regional office.
    DemoUser("department", Role.DEPARTMENT_PROSECUTOR, "akt-prok-region", "Айдос", "Сұлтанов"),
    DemoUser("analyst", Role.ANALYST, "akt-prok-region", "Динара", "Керейова"),
    DemoUser("regional", Role.REGIONAL_PROSECUTOR, "akt-prok-region", "Талғат", "Мұхамеджанов"),
    DemoUser("secretary", Role.BOARD_SECRETARY, "akt-prok-region", "Сәуле", "Исмаилова"),
    DemoUser("press", Role.PRESS_OFFICER, "akt-prok-region", "Айгерім", "Нұрланова"),
    DemoUser("admin", Role.ADMIN, "akt-prok-region", "Ерлан", "Жақсылықов"),
    # External partners.
    DemoUser("bank.halyk", Role.PARTNER, "bank-halyk", "Мадина", "Омарова"),
    DemoUser("antifraud", Role.PARTNER, "nbk-antifraud", "Қанат", "Дүйсенов"),
]


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
