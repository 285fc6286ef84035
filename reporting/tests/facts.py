"""Facts for the summary's tests, written through the services as the platform writes them, each at
a chosen moment (the services read the clock through django.utils.timezone.now)."""

from contextlib import contextmanager
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

from accounts.models import District, Organisation, Region, Role, User
from signals import services
from signals.models import Answer, Report

AKTOBE = ZoneInfo("Asia/Aqtobe")
REGION = "150000000"
CITY = "151010000"
ALMATY_DISTRICT = "151013100"
ALGA = "153200000"
TEMIR = "155600000"


def local(year, month, day, hour=12, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AKTOBE)


@contextmanager
def clock(moment: datetime):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def region() -> Region:
    return Region.objects.get(kato=REGION)


def submit(at: datetime, *, kato=ALGA, code="public-order", channel=Report.Channel.WEB) -> Report:
    with clock(at):
        return services.report_submit(
            actor=None,
            category=code,
            description="Fights near the shop every night.",
            channel=channel,
            district=District.objects.get(kato=kato),
            address="Main street 1",
            attributes={"link": "https://t.me/example_shop"} if code == "drug-ad" else None,
            now=at,
        ).report


def officer_of(body: Organisation) -> User:
    user, _ = User.objects.get_or_create(
        username=f"officer-{body.code}", defaults={"role": Role.BODY_OFFICER, "organisation": body}
    )
    return user


def regional_prosecutor() -> User:
    user, _ = User.objects.get_or_create(
        username="summary-regional-prosecutor",
        defaults={"role": Role.REGIONAL_PROSECUTOR, "organisation": Organisation.objects.get(code="akt-prok-region")},
    )
    return user


def answer(report: Report, at: datetime) -> Answer:
    report.refresh_from_db()
    with clock(at):
        return services.answer_give(
            report=report,
            result=Answer.Result.CONFIRMED_ADMINISTRATIVE,
            text="Patrols sent; two men fined.",
            actor=officer_of(report.body),
        )


def return_answer(report: Report, at: datetime) -> None:
    with clock(at):
        services.answer_return(report=report, reason="Say what the patrol found.", actor=regional_prosecutor())


def reopen(report: Report, at: datetime) -> None:
    with clock(at):
        services.followup_not_resolved(report=report, text="Nothing changed: the fights go on.")


def register(report: Report, at: datetime, number="251532000123") -> None:
    report.refresh_from_db()
    with clock(at):
        services.report_register(
            report=report, registration=Report.Registration.KUI, number=number, actor=officer_of(report.body)
        )
