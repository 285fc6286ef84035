"""Reports and acts for the supervision tests (real services, real database)."""

from datetime import date

from django.utils import timezone

from accounts.models import District, Organisation
from signals.models import Report
from signals.services import report_submit
from supervision.models import SupervisoryAct
from supervision.services import act_record

ALGA = "153200000"
TEMIR = "155600000"


def new_report(kato: str = ALGA, category: str = "public-order") -> Report:
    return report_submit(
        actor=None,
        category=category,
        description="Fights near the shop every night.",
        channel=Report.Channel.WEB,
        district=District.objects.get(kato=kato),
        address="Main street 1",
        contact=None,
    ).report


def office(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def record(actor, *, reports=(), **overrides) -> SupervisoryAct:
    """A submission by the actor's office, addressed to the first report's body (or Alga police)."""
    reports = list(reports)
    values = {
        "type": SupervisoryAct.Type.SUBMISSION,
        "date": timezone.localdate(),
        "issuing_office": actor.organisation,
        "addressee": reports[0].body if reports else office("akt-police-alga"),
        "addressee_title": "Начальнику отдела полиции Иванову И.И.",
        "legal_basis": "Статья 24 Закона «О прокуратуре»",
        "summary": "Ответ на обращение не дан в срок.\n\nТребую устранить нарушения.",
        "language": SupervisoryAct.Language.RU,
    }
    values.update(overrides)
    return act_record(actor=actor, reports=reports, **values)


def on(day: date, act: SupervisoryAct) -> SupervisoryAct:
    """Move an act to another date (the service refuses only future dates)."""
    SupervisoryAct.objects.filter(pk=act.pk).update(date=day)
    act.refresh_from_db()
    return act
