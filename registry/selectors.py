"""What the registry's pages read: the indicators of a user's scope, found by any value written any
way (registry.indicators.recognize), or searched as text when the value is of no known kind; the
graffiti records of a user's scope with the photos signals lets them see."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from signals.models import ReportPhoto

from . import policy
from .indicators import SECRET_KINDS, Kind, recognize
from .indicators import Indicator as Found
from .models import BlockingItem, BlockingRequest, Graffiti, Indicator, Notice


def indicators_for(user) -> QuerySet:
    return policy.visible_indicators(user, Indicator.objects.all())


def listed_for(user) -> QuerySet:
    """The user's indicators as the registry's list shows them, with their sightings counted."""
    return indicators_for(user).annotate(
        sightings_count=Count("sightings", filter=Q(sightings__unlinked_at__isnull=True))
    )


@dataclass(frozen=True)
class Search:
    found: Found | None  # the value read as an indicator of a known kind, or None
    indicators: list[Indicator]

    @property
    def kind_label(self) -> str:
        return str(Kind(self.found.kind).label) if self.found is not None else ""


def search(user, raw: str) -> Search:
    """The indicators of the user's scope the value names: by its keyed hash when it reads as a
    known kind ("8 705 123 45 67" finds +77051234567), else by the text shown (never a secret kind's
    number, which is only ever found whole)."""
    raw = (raw or "").strip()
    found = recognize(raw) if raw else None
    visible = indicators_for(user)
    if found is not None:
        return Search(found, list(visible.filter(kind=found.kind, value_hash__in=found.hashes)[:50]))
    if len(raw) < 3:
        return Search(None, [])
    text = visible.exclude(kind__in=SECRET_KINDS).filter(Q(value__icontains=raw) | Q(shown__icontains=raw))
    return Search(None, list(text[:50]))


# --- blocking requests ------------------------------------------------------------------------------


def requests_for(user) -> QuerySet:
    """The blocking requests the user sees (registry.policy.visible_requests), with their counts."""
    return policy.visible_requests(user, BlockingRequest.objects.all()).annotate(
        items_count=Count("items", distinct=True),
        answered_count=Count("items", filter=~Q(items__status=BlockingItem.State.REQUESTED), distinct=True),
    )


ADDRESSED_KINDS = (Kind.IBAN, *policy.ADDRESSEE_TYPES)


def requestable_for(user, kind: str = "") -> QuerySet:
    """The indicators of the user's scope a blocking request may be made for: confirmed (or whose
    earlier request ended without a block in force), of a kind with an addressee, and in no open
    request: what the analyst selects from, hundreds at a time."""
    if not policy.may_request_blocking(user):
        return Indicator.objects.none()
    open_items = BlockingItem.objects.filter(indicator=OuterRef("pk"), status=BlockingItem.State.REQUESTED)
    indicators = indicators_for(user).filter(status__in=policy.REQUESTABLE, kind__in=ADDRESSED_KINDS)
    if kind:
        indicators = indicators.filter(kind=kind)
    return indicators.exclude(Exists(open_items))


def graffiti_for(user) -> QuerySet:
    """The graffiti records of the user's scope (registry.policy.visible_graffiti)."""
    return policy.visible_graffiti(user, Graffiti.objects.all())


def graffiti_photos(user, records: list) -> dict[int, dict]:
    """record id -> {"before": [...], "after": [...], "shown": bool}: the report's own photos (taken
    with it or added by the reporter) and those of the answer that showed it painted over. Only for
    the reports signals lets the user see (registry.policy.reports_shown): their photos are served
    by signals' protected route, which asks the same."""
    shown = policy.reports_shown(user, [record.report_id for record in records])
    photos: dict[int, dict] = {
        record.pk: {"before": [], "after": [], "shown": record.report_id in shown} for record in records
    }
    by_report = {record.report_id: record for record in records if record.report_id in shown}
    rows = ReportPhoto.objects.filter(report_id__in=by_report).order_by("id")
    for photo in rows.only("pk", "report_id", "answer_id", "source", "width", "height"):
        record = by_report[photo.report_id]
        if photo.source != ReportPhoto.Source.ANSWER:
            photos[record.pk]["before"].append(photo)
        elif photo.answer_id is not None and photo.answer_id == record.destroyed_by_answer_id:
            photos[record.pk]["after"].append(photo)
    return photos


def notices_for(user) -> QuerySet:
    """The banks' and the antifraud centre's notices the user may import and read: their region's."""
    return policy.visible_notices(user, Notice.objects.all())
