"""The board's demo step up to a day of the live months: meetings held and one planned, executions
in every state, the projects and working groups, written once; refreshed on a later day, it is the
demo built that day."""

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import create_demo_users
from accounts.models import Region
from board.demo import build_demo_board, create_demo_board, refresh_board_region
from board.models import (
    DirectiveAddressee,
    DirectiveEvent,
    Evidence,
    ExecutionReport,
    Meeting,
    MeetingReport,
    Project,
    WorkingGroup,
)

pytestmark = pytest.mark.django_db


def check_the_live_demo() -> None:
    """The demo as built up to 7 December 2026."""
    kinds = Counter(Meeting.objects.values_list("kind", "status"))
    assert kinds[("board", "held")] == 11 and kinds[("board", "planned")] == 1  # the year 2026's, on 25 December
    assert kinds[("coordination", "held")] and kinds[("working_group", "held")]
    assert Meeting.objects.filter(held_on__year=2026, status="held").exists()
    statuses = set(DirectiveAddressee.objects.values_list("status", flat=True))
    assert statuses == set(DirectiveAddressee.Status.values)
    assert DirectiveEvent.objects.filter(kind=DirectiveEvent.Kind.CARRIED).exists()
    assert dict(Project.objects.values_list("code", "area")) == {
        "without_fraud": "fraud",
        "law_and_order": "crime",
        "children": "children",
        "children_family": "children",
    }
    assert WorkingGroup.objects.count() == 2
    # A board's reports heard come with their files; an execution reported, with its evidence.
    assert not MeetingReport.objects.filter(meeting__kind="board", file="").exists()
    assert Evidence.objects.count() == ExecutionReport.objects.filter(final=True).count() > 0
    assert Evidence.objects.first().file.read().startswith(b"PK")
    # The chair is the demo regional prosecutor; speakers are named by their posts.
    assert set(Meeting.objects.values_list("chair", flat=True)) == {"Талғат Мұхамеджанов"}
    counts = (Meeting.objects.count(), DirectiveEvent.objects.count())
    command = BaseCommand(stdout=StringIO(), stderr=StringIO())
    create_demo_board(command)
    assert "skipped" in command.stdout.getvalue()
    assert (Meeting.objects.count(), DirectiveEvent.objects.count()) == counts


def snapshot() -> tuple:
    """The board as a reader sees it: the meetings, each execution's state, the events by kind and moment."""
    return (
        sorted(Meeting.objects.values_list("kind", "held_on", "status", "resolution_number")),
        sorted(
            DirectiveAddressee.objects.values_list(
                "directive__meeting__held_on", "directive__number", "organisation__code", "status", "executed_at"
            )
        ),
        sorted(DirectiveEvent.objects.values_list("kind", "at")),
    )


def test_the_demo_runs_through_the_live_months_and_a_refresh_on_a_later_day_is_the_demo_built_that_day(
    settings, tmp_path
):
    """Built straight up to 7 December 2026 (checked, then rolled back), and built up to 28 December
    2025 then refreshed on 7 December 2026: the same board, to the moment of each event."""
    settings.MEDIA_ROOT = tmp_path  # the reports' and the evidence's files
    create_demo_users(BaseCommand(stdout=StringIO(), stderr=StringIO()))
    region = Region.objects.get(kato="150000000")
    with transaction.atomic():
        assert build_demo_board(region=region, today=date(2026, 12, 7)) > 100
        check_the_live_demo()
        straight = snapshot()
        transaction.set_rollback(True)
    build_demo_board(region=region, today=date(2025, 12, 28))
    assert refresh_board_region(region=region, today=date(2026, 12, 7)) > 30
    assert snapshot() == straight
    assert refresh_board_region(region=region, today=date(2026, 12, 7)) == 0
    assert snapshot() == straight
