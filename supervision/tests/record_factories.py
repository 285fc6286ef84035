"""Records of issue 17 for the highlights' tests, written straight into the models (the services of
cases, projects and facilities are their own tests'), and highlights through their services."""

from datetime import date
from decimal import Decimal
from itertools import count

from django.utils import timezone

from accounts.models import District, Organisation
from supervision.models import ActAmount, CriminalCase, InvestmentProject, SocialFacility, SupervisoryAct
from supervision.services import highlight_write

from .factories import ALGA, record

_numbers = count(1)


def _place(office_code: str, kato: str):
    office = Organisation.objects.get(code=office_code)
    return office, District.objects.get(kato=kato)


def case(*, office_code: str = "akt-prok-alga", kato: str = ALGA, **overrides) -> CriminalCase:
    office, district = _place(office_code, kato)
    values = {
        "region_id": office.region_id,
        "office": office,
        "district": district,
        "erdr_number": f"25{next(_numbers):013d}",
        "registered_on": date(2025, 3, 14),
        "article": "190",
        "article_part": "4",
        "investigating_body": "police",
        "summary": "Хищение денежных средств компании.",
        "stage": "verdict",
        "stage_on": date(2025, 9, 1),
        "charged": 3,
        "in_custody": 2,
        "damage": Decimal("6000000000"),
        "recovered": Decimal("1500000000"),
        "convicted": 3,
        "imprisoned": 2,
        "recorded_at": timezone.now(),
    }
    values.update(overrides)
    return CriminalCase.objects.create(**values)


def act(actor, **overrides) -> SupervisoryAct:
    """An act of the actor's office (the acts' own factory), then its results set as given."""
    made = record(actor)
    if overrides:
        SupervisoryAct.objects.filter(pk=made.pk).update(**overrides)
        made.refresh_from_db()
    return made


def amount(act: SupervisoryAct, heading: str, value, day: date = date(2025, 6, 1)) -> ActAmount:
    return ActAmount.objects.create(act=act, heading=heading, amount=Decimal(value), on=day, at=timezone.now())


def project(*, office_code: str = "akt-prok-alga", kato: str = ALGA, **overrides) -> InvestmentProject:
    office, district = _place(office_code, kato)
    values = {
        "region_id": office.region_id,
        "office": office,
        "district": district,
        "name": "Завод по переработке зерна",
        "investor": "ТОО «Агро»",
        "level": "regional",
        "amount": Decimal("12500000000"),
        "problems_solved": 4,
        "recorded_at": timezone.now(),
    }
    values.update(overrides)
    return InvestmentProject.objects.create(**values)


def facility(*, source_case: CriminalCase, office_code: str = "akt-prok-alga", kato: str = ALGA, **overrides):
    office, district = _place(office_code, kato)
    values = {
        "region_id": office.region_id,
        "office": office,
        "district": district,
        "name": "Спортивная площадка",
        "type": "playground",
        "amount": Decimal("45000000"),
        "source_case": source_case,
        "status": "building",
        "percent_done": 45,
        "recorded_at": timezone.now(),
    }
    values.update(overrides)
    return SocialFacility.objects.create(**values)


TEXTS = {
    "text_kk": "Сот {convicted} адамды соттады, залал {damage}.",
    "text_ru": "Осуждено {convicted} лиц, ущерб {damage}, возмещено {recovered}.",
    "text_en": "{convicted} persons convicted; damage {damage}.",
}


def highlight(actor, record, *, on: date = date(2025, 6, 30), **texts):
    return highlight_write(actor=actor, record=record, on=on, **{**TEXTS, **texts})
