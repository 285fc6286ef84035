"""A submitted offence report's text is read for the indicators it names, by the task its intake
enqueues with it (lib.plugins' report_tasks): the reporter's own phone and allow-listed values left
out, running again links nothing twice."""

import pytest
from django_tasks_db.models import DBTaskResult

from accounts.models import District
from lib.crypto import keyed_hash
from registry.indicators import Kind
from registry.models import IgnoredValue, Indicator, Sighting
from registry.tasks import take_report_indicators
from signals import services as signals_services

pytestmark = pytest.mark.django_db
ALGA = "153200000"
TEXT = (
    "Продают закладки в канале t.me/Darik_Aktobe, оплату просят на карту по номеру 8 705 123 45 67 "
    "или на счёт KZ88 6010 0000 1234 5678. Мой номер для связи 8 701 765 43 21. Горячая линия банка 7111."
)


def submit(text=TEXT, contact=None):
    return signals_services.report_submit(
        actor=None,
        category="drug-ad",
        description=text,
        channel="web",
        district=District.objects.get(kato=ALGA),
        address="ул. Айтеке би 1",
        attributes={"link": "https://shop-darik.kz/catalog"},
        contact=contact,
    ).report


def run_enqueued(report) -> list[int]:
    rows = DBTaskResult.objects.filter(task_path="registry.tasks.take_report_indicators")
    return [
        take_report_indicators.call(*row.args_kwargs["args"]) for row in rows if row.args_kwargs["args"] == [report.pk]
    ]


def test_the_intake_enqueues_the_scan_and_it_links_what_the_report_names():
    report = submit(contact={"name": "Айгерім", "phone": "+7 701 765 43 21", "consent": True})
    assert run_enqueued(report) == [4]
    linked = {(s.indicator.kind, s.indicator.shown) for s in Sighting.objects.filter(report=report)}
    assert linked == {
        (Kind.TELEGRAM, "@darik_aktobe"),
        (Kind.PHONE, "+77051234567"),
        (Kind.IBAN, "KZ88 6010 0000 1234 5678"),
        (Kind.WEBSITE, "shop-darik.kz/catalog"),
    }
    sighting = Sighting.objects.filter(report=report).first()
    assert (sighting.source, sighting.district.kato, sighting.at) == ("report", ALGA, report.submitted_at)
    assert not Indicator.objects.filter(value="+77017654321").exists()  # the reporter's own number
    assert take_report_indicators.call(report.pk) == 4 and Sighting.objects.filter(report=report).count() == 4


def test_an_allow_listed_value_in_a_report_is_not_taken():
    IgnoredValue.objects.create(kind=Kind.PHONE, value_hash=keyed_hash("phone:+77051234567"), shown="+77051234567")
    report = submit()
    assert run_enqueued(report) == [4]  # the reporter gave no contact: their number is taken
    assert not Indicator.objects.filter(value="+77051234567").exists()
    assert Indicator.objects.filter(value="+77017654321").exists()
