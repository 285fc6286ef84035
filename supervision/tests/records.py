"""Investment projects and social facilities for the supervision tests, written through the
services (real database), each at a chosen moment where a test needs one."""

from datetime import date
from decimal import Decimal

from accounts.models import District
from supervision.models import InvestmentProject, SocialFacility
from supervision.services import facility_record, project_record

from .factories import ALGA, office, record

MUGALZHAR = "154800000"


def district(kato: str = ALGA) -> District:
    return District.objects.get(kato=kato)


def new_project(actor, *, kato: str = ALGA, on: date | None = None, now=None, **overrides) -> InvestmentProject:
    values = {
        "office": actor.organisation,
        "name": "Завод по переработке зерна",
        "investor": "ТОО «Демо Агро»",
        "district": district(kato),
        "level": InvestmentProject.Level.REGIONAL,
        "amount": Decimal("1500000000"),
        "on": on or date(2025, 3, 1),
    }
    values.update(overrides)
    return project_record(actor=actor, now=now, **values)


def new_facility(actor, *, kato: str = ALGA, on: date | None = None, now=None, act=None, **overrides) -> SocialFacility:
    values = {
        "office": actor.organisation,
        "name": "Спортивная площадка",
        "type": SocialFacility.Type.SPORTS,
        "district": district(kato),
        "amount": Decimal("45000000"),
        "source_act": act if act is not None else record(actor, addressee=office("akt-police-alga")),
        "on": on or date(2025, 3, 1),
    }
    values.update(overrides)
    return facility_record(actor=actor, now=now, **values)
