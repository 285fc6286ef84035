"""The demo's blocking requests give the reference document's figures for the nine months of 2025
("more than 1,000 'dropper' accounts totaling 59.5 million tenge and 1,400 links to drug stores have
been blocked"), each checked against the records, through the summary as the board reads it."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management.base import BaseCommand
from django.db.models import Count, Sum

from registry.demo.blocking import build_demo_blocking, refresh_demo_blocking
from registry.indicators import Kind
from registry.models import BlockingEvent, BlockingItem, BlockingRequest, Indicator
from reporting.figures import Request, compute
from reporting.sentences import narrative
from reporting.tests import facts

pytestmark = pytest.mark.django_db


def nine_months_blocked():
    """The records behind the figures: the blocking events dated in the nine months, recorded by
    16 October 2025."""
    return BlockingEvent.objects.filter(
        kind=BlockingEvent.Kind.BLOCKED,
        day__gte=date(2025, 1, 1),
        day__lte=date(2025, 9, 30),
        at__lt=facts.local(2025, 10, 17, 0),
    )


def test_the_demo_gives_the_reference_documents_blocking_figures_for_nine_months_of_2025():
    region = facts.region()
    with facts.clock(facts.local(2025, 12, 20, 12)):
        assert build_demo_blocking(region=region) > 3000
    request = Request.make(region=region, start=date(2025, 1, 1), end=date(2025, 9, 30), as_of=date(2025, 10, 16))
    summary = compute(request)
    accounts = nine_months_blocked().filter(item__indicator__kind__in=(Kind.IBAN, Kind.CARD))
    links = nine_months_blocked().filter(item__indicator__kind__in=(Kind.WEBSITE, Kind.TELEGRAM))
    assert summary.figure("fraud.accounts.blocked").value == accounts.count() == 1_043
    amount = accounts.aggregate(total=Sum("amount"))["total"]
    assert Decimal(summary.figure("fraud.accounts.blocked.amount").value) == amount == Decimal("59487350")
    assert summary.figure("fraud.links.blocked").value == links.count() == 1_400
    answered = BlockingEvent.objects.filter(
        kind__in=(BlockingEvent.Kind.BLOCKED, BlockingEvent.Kind.REFUSED, BlockingEvent.Kind.NOT_FOUND),
        day__gte=date(2025, 1, 1),
        day__lte=date(2025, 9, 30),
    )
    assert summary.figure("fraud.requests.answered").value == answered.count() > 2_443
    assert summary.figure("fraud.requests.answer_days").value == answered.aggregate(days=Sum("answer_days"))["days"]
    # Some of those blocks were lifted since: they still count where they were blocked.
    assert BlockingItem.objects.filter(status=BlockingItem.State.UNBLOCKED, answered_on__lte=date(2025, 9, 30)).exists()
    russian = " ".join(" ".join(p.sentences) for p in narrative(summary.figures, "ru"))
    assert "Заблокированы более 1\u00a0000 счетов «дропперов» на общую сумму 59,5\u00a0млн\u00a0тенге" in russian
    assert "Заблокировано 1\u00a0400 ссылок на наркошопы" in russian
    english = " ".join(" ".join(p.sentences) for p in narrative(summary.figures, "en"))
    assert "more than 1,000 “dropper” accounts totalling 59.5 million\u00a0tenge have been blocked" in english
    assert "1,400 links to drug stores have been blocked" in english
    kazakh = " ".join(" ".join(p.sentences) for p in narrative(summary.figures, "kk"))
    assert "59,5\u00a0млн\u00a0теңге" in kazakh and "1\u00a0400 сілтеме" in kazakh


def test_each_demo_request_goes_to_one_addressee_by_kind_and_is_numbered():
    region = facts.region()
    with facts.clock(facts.local(2024, 3, 20, 12)):
        build_demo_blocking(region=region)
    requests = BlockingRequest.objects.filter(region=region)
    assert requests.exists() and not requests.filter(outgoing_number="").exists()
    assert requests.values("outgoing_number").annotate(n=Count("id")).filter(n__gt=1).count() == 0
    for blocking in requests.select_related("addressee"):
        kinds = set(blocking.items.values_list("indicator__kind", flat=True))
        addressee = blocking.addressee
        if addressee.type == "bank":
            assert kinds == {Kind.IBAN}
            assert set(blocking.items.values_list("indicator__bank_id", flat=True)) == {addressee.pk}
        elif addressee.type == "antifraud_centre":
            assert kinds == {Kind.CARD}
        elif addressee.type == "ministry":
            assert kinds == {Kind.WEBSITE}
        else:
            assert addressee.type == "platform" and kinds == {Kind.TELEGRAM}
    # This month's requests are partly answered yet: their indicators await the answer.
    assert Indicator.objects.filter(status="blocking_requested").exists()
    # Refreshed two months later: April's and May's requests are added, the months before left as they were.
    march = requests.count()
    with facts.clock(facts.local(2024, 5, 20, 12)):
        refresh_demo_blocking(BaseCommand(stdout=StringIO()))
    months = {blocking.sent_at.month for blocking in BlockingRequest.objects.filter(region=region)}
    assert months == {1, 2, 3, 4, 5} and requests.filter(sent_at__month__lte=3).count() == march
