"""The district prosecutor's daily oversight digest, by email.

Each active district prosecutor with an address gets, once a day from settings.DIGEST_HOUR
(local time of the office's region: accounts.zones), one mail summarising the districts their office serves: the
reports overdue now, the answers returned for re-work, the reports the reporter reopened, the
forwards and extensions waiting for the prosecutor's decision, and the answers waiting for
acceptance, each with its count and its first references.

- Sent directly as a mail (EmailMessage), not through accounts.notifications.notify: the digest
  is a summary of what the in-app list already holds (each forward, extension, answer, reopening
  and overdue report has its own notification), so a daily in-app copy would only repeat it.
- Once a day: each prosecutor's mail is claimed (lib.once, in the database) on a key holding the local
  date (lib.once), so the hourly job, several schedulers or a re-run send it once, and marked done
  as soon as it went out (lib.mail.send_each: mails sent one by one). A
  prosecutor with nothing to read that day gets no mail (the day is marked done all the same). A
  mail that fails to go out releases its claim, and one whose run died (its worker killed) keeps
  it only for settings.TASK_LEASE_SECONDS: the next hour tries again.
- Sensitive categories: their reports are counted and named by reference, nothing else.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext

from accounts.models import User
from accounts.scoping import office_district_ids
from accounts.zones import default_zone, zones_by_region
from lib import once
from lib.i18n import localized
from lib.mail import send_each

from .models import ExtensionRequest, Forward, Report
from .policy import district_overseers, overdue_at

Status = Report.Status

DIGEST_LIST_LIMIT = 10
CLAIM_SECONDS = 2 * 24 * 3600


@dataclass
class Section:
    key: str
    count: int
    items: list[dict] = field(default_factory=list)  # reference, sensitive, body, deadline


def send_oversight_digests(*, now: datetime | None = None) -> int:
    """Mail today's digest to every district prosecutor with an address who has not had it yet;
    nothing before settings.DIGEST_HOUR. Returns the number of mails sent."""
    now = now or timezone.now()
    zones = zones_by_region()
    if all(timezone.localtime(now, zone).hour < settings.DIGEST_HOUR for zone in {default_zone(), *zones.values()}):
        return 0
    prosecutors = (
        district_overseers().select_related("organisation").exclude(email="").order_by("organisation_id", "id")
    )
    by_office: dict[int, list[User]] = defaultdict(list)
    for user in prosecutors:
        by_office[user.organisation_id].append(user)
    mark_done = partial(once.done, keep_seconds=CLAIM_SECONDS)
    mails = []
    for users in by_office.values():
        # The hour and the day are the office's region's; so are the deadlines the mail shows.
        zone = zones.get(users[0].organisation.region_id) or default_zone()
        local = timezone.localtime(now, zone)
        if local.hour < settings.DIGEST_HOUR:
            continue
        claimed = [user for user in users if once.claim(_claim_key(local.date(), user.pk))]
        if not claimed:
            continue
        sections = digest_sections(district_ids=office_district_ids(users[0].organisation), now=now)
        if not any(section.count for section in sections):
            for user in claimed:
                mark_done(_claim_key(local.date(), user.pk))
            continue
        for user in claimed:
            with translation.override(user.language or settings.LANGUAGE_CODE), timezone.override(zone):
                subject, body = render_digest(sections, day=local.date())
            mails.append((_claim_key(local.date(), user.pk), EmailMessage(subject=subject, body=body, to=[user.email])))
    # A mail that fails releases its claim and those after it: the next run tries them again.
    return send_each(mails, sent=mark_done, release=once.release)


def _claim_key(day, user_id: int) -> str:
    return f"oversight-digest:{day.isoformat()}:{user_id}"


# --- what the digest reads -----------------------------------------------------------------------


def digest_sections(*, district_ids: set[int], now: datetime) -> list[Section]:
    """The digest's sections for the reports of `district_ids` as of `now`: two queries each (the
    count and the first references)."""
    reports = Report.objects.filter(district_id__in=district_ids)
    return [
        _reports("overdue", reports.filter(overdue_at(now)), "deadline_at"),
        _reports("returned", reports.filter(status=Status.RETURNED), "deadline_at"),
        _reports("reopened", reports.filter(status=Status.REOPENED), "submitted_at"),
        _decisions("forwards", Forward.objects.filter(decision=Forward.Decision.PENDING, report__in=reports)),
        _decisions(
            "extensions",
            ExtensionRequest.objects.filter(decision=ExtensionRequest.Decision.PENDING, report__in=reports),
        ),
        _reports("answered", reports.filter(status=Status.ANSWERED), "answered_at"),
    ]


def _reports(key: str, queryset: QuerySet, order: str) -> Section:
    rows = queryset.order_by(order, "id").values(
        "reference", "sensitive", "body__name_kk", "body__name_ru", "body__name_en", "deadline_at"
    )[:DIGEST_LIST_LIMIT]
    return Section(key=key, count=queryset.count(), items=[_item(row) for row in rows])


def _decisions(key: str, queryset: QuerySet) -> Section:
    rows = queryset.order_by("at", "id").values(
        "report__reference",
        "report__sensitive",
        "report__body__name_kk",
        "report__body__name_ru",
        "report__body__name_en",
        "report__deadline_at",
    )[:DIGEST_LIST_LIMIT]
    items = [_item({name.removeprefix("report__"): value for name, value in row.items()}) for row in rows]
    return Section(key=key, count=queryset.count(), items=items)


def _item(row: dict) -> dict:
    if row["sensitive"]:
        return {"reference": row["reference"], "sensitive": True}  # the reference and nothing else
    return {
        "reference": row["reference"],
        "sensitive": False,
        "body": {f"name_{code}": row[f"body__name_{code}"] or "" for code in ("kk", "ru", "en")},
        "deadline": row["deadline_at"],
    }


# --- the mail ------------------------------------------------------------------------------------------


def _titles() -> dict:
    return {
        "overdue": gettext("Overdue now (no answer after the deadline)"),
        "returned": gettext("Answers returned for re-work"),
        "reopened": gettext("Reopened by the reporter: decide"),
        "forwards": gettext("Forwards to review"),
        "extensions": gettext("Deadline extensions to decide"),
        "answered": gettext("Answers waiting for acceptance"),
    }


def render_digest(sections: list[Section], *, day) -> tuple[str, str]:
    """The subject and the text, in the active language."""
    titles = _titles()
    subject = gettext("Tartip: daily oversight digest for %(date)s") % {
        "date": formats.date_format(day, "SHORT_DATE_FORMAT")
    }
    lines = [gettext("What waits in your districts today:"), ""]
    for section in sections:
        if not section.count:
            continue
        lines.append(f"{titles[section.key]}: {section.count}")
        lines += ["- " + _line(item) for item in section.items]
        if section.count > len(section.items):
            more = section.count - len(section.items)
            lines.append(ngettext("…and %(count)d more", "…and %(count)d more", more) % {"count": more})
        lines.append("")
    lines.append(_link())
    return subject, "\n".join(lines)


def _line(item: dict) -> str:
    if item["sensitive"]:
        return item["reference"]
    body = localized(item["body"], "name")
    parts = [item["reference"]]
    if body:
        parts.append(body)
    if item["deadline"]:
        deadline = formats.date_format(timezone.localtime(item["deadline"]), "SHORT_DATETIME_FORMAT")
        parts.append(gettext("deadline %(deadline)s") % {"deadline": deadline})
    return ", ".join(parts)


def _link() -> str:
    for name in ("signals:oversight", "signals:list"):
        try:
            return settings.SITE_URL + reverse(name)
        except NoReverseMatch:
            continue
    return settings.SITE_URL
