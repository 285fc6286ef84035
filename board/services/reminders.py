"""The scheduled reminders of directives (board.tasks, run by the scheduler every hour):

- an addressee that still has work to do is reminded settings.BOARD_REMINDER_WORKING_DAYS working
  days before the deadline (board.policy.reminder_day), once;
- an execution overdue (board.policy.overdue_at) is noticed once, to the addressee and to the
  directive's controller.

Each execution is claimed by a conditional update of its `reminded_at` / `overdue_notice_at`, so a
sweep run twice (two schedulers, a task rerun) sends each reminder once."""

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.calendar import working_calendar
from accounts.models import User
from accounts.notifications import notify
from accounts.zones import local_date, region_id_zone
from lib.i18n import lazy_format

from ..models import DirectiveAddressee, DirectiveEvent
from ..policy import ADDRESSEE_ROLES, AWAITING_ADDRESSEE, overdue_at, reminder_day

Kind = DirectiveEvent.Kind


def _staff(addressee: DirectiveAddressee):
    return User.objects.filter(organisation_id=addressee.organisation_id, role__in=ADDRESSEE_ROLES, is_active=True)


def _claim(addressee: DirectiveAddressee, field: str, now: datetime) -> bool:
    return bool(DirectiveAddressee.objects.filter(pk=addressee.pk, **{f"{field}__isnull": True}).update(**{field: now}))


def _due_soon(now: datetime):
    """The executions awaiting their addressee, not reminded yet, whose reminder day has come."""
    calendar = working_calendar()
    candidates = (
        DirectiveAddressee.objects.filter(status__in=AWAITING_ADDRESSEE, reminded_at__isnull=True, deadline_at__gte=now)
        .select_related("directive__meeting")
        .order_by("deadline_at")
    )
    for addressee in candidates.iterator():
        today = local_date(now, region_id_zone(addressee.region_id))
        if reminder_day(addressee.directive.deadline, calendar) <= today:
            yield addressee


def directives_remind(now: datetime | None = None) -> int:
    """The reminders before the deadline sent; how many executions were reminded."""
    now = now or timezone.now()
    sent = 0
    for addressee in _due_soon(now):
        with transaction.atomic():
            if not _claim(addressee, "reminded_at", now):
                continue
            directive = addressee.directive
            subject = lazy_format(
                gettext_lazy("Directive no. %(number)d of %(date)s is due on %(deadline)s"),
                {
                    "number": directive.number,
                    "date": f"{directive.meeting.held_on:%d.%m.%Y}",
                    "deadline": f"{directive.deadline:%d.%m.%Y}",
                },
            )
            url = reverse("board:directive", args=[directive.pk])
            notify(users=_staff(addressee), subject=subject, url=url, key=f"directive-due:{addressee.pk}")
            DirectiveEvent.objects.create(directive=directive, addressee=addressee, kind=Kind.REMINDED, at=now, data={})
            sent += 1
    return sent


def directives_notice_overdue(now: datetime | None = None) -> int:
    """The overdue notices sent (to the addressee and the controller); how many executions."""
    now = now or timezone.now()
    sent = 0
    overdue = DirectiveAddressee.objects.filter(overdue_at(now), overdue_notice_at__isnull=True).select_related(
        "directive"
    )
    for addressee in overdue.iterator():
        with transaction.atomic():
            if not _claim(addressee, "overdue_notice_at", now):
                continue
            directive = addressee.directive
            subject = lazy_format(
                gettext_lazy("Directive no. %(number)d is overdue (due on %(deadline)s)"),
                {"number": directive.number, "deadline": f"{directive.deadline:%d.%m.%Y}"},
            )
            users = _staff(addressee) | User.objects.filter(pk=directive.controller_id)
            url = reverse("board:directive", args=[directive.pk])
            notify(users=users.distinct(), subject=subject, url=url, key=f"directive-overdue:{addressee.pk}")
            DirectiveEvent.objects.create(directive=directive, addressee=addressee, kind=Kind.OVERDUE, at=now, data={})
            sent += 1
    return sent
