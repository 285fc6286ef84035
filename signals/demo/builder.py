"""The bulk builder of demo reports: plans every report in Python, then writes reports, contacts,
events, answers, forwards, extensions and supporters with bulk_create, in batches.
"""

from __future__ import annotations

import bisect
import calendar as month_calendar
import hashlib
import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import District, Organisation, Region, User
from accounts.zones import region_zone
from signals.deadlines import working_days_ago
from signals.models import (
    Answer,
    Category,
    ExtensionRequest,
    Forward,
    ReferenceCounter,
    Report,
    ReporterContact,
    ReportEvent,
    ReportPhoto,
    ReportSupporter,
)
from signals.references import format_reference
from signals.routing import find_body
from signals.stocks import relink_events

from .photos import VARIANTS, demo_photo_row
from .places import _places
from .texts import ENDINGS_KK, ENDINGS_RU, _attributes, _fill, _pick, theme_of
from .timeline import Deadlines, _Clock, _Timeline

DEMO_SEED = 20240101
# Reports per region; the demo's volumes are shaped like a real region (see DISTRICT_WEIGHT).
DEMO_REPORTS_PER_REGION = 8000
DEMO_START = date(2024, 1, 1)
DEMO_END = date(2025, 12, 31)
BATCH_SIZE = 2000

Status = Report.Status
Channel = Report.Channel

CHANNEL_WEIGHTS = {
    Channel.WEB: 52,
    Channel.HOTLINE: 17,
    Channel.RECEPTION: 9,
    Channel.API: 10,
    Channel.OPEN311: 6,
    Channel.OTHER: 6,
}


class Routes:
    """The body for each (category, district), by the routing service's own lookup
    (signals.routing.find_body), asked once per pair: a region has a few hundred pairs."""

    def __init__(self, region: Region):
        self.region = region
        self._cache: dict = {}

    def body_id(self, category: Category, district: District | None) -> int | None:
        key = (category.id, district.id if district else None)
        if key not in self._cache:
            body = find_body(region=self.region, category=category, district=district)
            self._cache[key] = body.id if body else None
        return self._cache[key]


@dataclass
class BuildResult:
    reports: int = 0
    events: int = 0
    contacts: int = 0
    answers: int = 0
    forwards: int = 0
    extensions: int = 0
    supporters: int = 0
    photos: int = 0
    by_status: dict = field(default_factory=dict)


def _submission_times(rng: random.Random, count: int, start: date, end: date) -> list[datetime]:
    """Sorted submission moments: more in later months (the application is being rolled out),
    fewer on Sundays, mostly in the daytime (local time)."""
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    weights = list(itertools.accumulate(1.0 + 0.05 * index for index in range(len(months))))
    hours = list(range(24))
    hour_weights = [1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 13, 12, 13, 14, 14, 13, 12, 11, 10, 8, 6, 4, 2]
    hour_cumulative = list(itertools.accumulate(hour_weights))
    moments = []
    while len(moments) < count:
        year, month = months[bisect.bisect(weights, rng.random() * weights[-1])]
        first = max(date(year, month, 1), start)
        last = min(date(year, month, month_calendar.monthrange(year, month)[1]), end)
        day = first + timedelta(days=rng.randrange((last - first).days + 1))
        if day.weekday() == 6 and rng.random() < 0.4:
            continue
        hour = hours[bisect.bisect(hour_cumulative, rng.random() * hour_cumulative[-1])]
        local = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)))
        moments.append(timezone.make_aware(local))
    moments.sort()
    return moments


def _final_status(rng: random.Random, age_days: float) -> str:
    """The status a report has reached, by how long ago (before the end of the period) it came in."""
    if age_days < 7:
        table = ((Status.NEW, 15), (Status.ROUTED, 30), (Status.ACCEPTED, 25), (Status.ANSWERED, 15))
        table += ((Status.RETURNED, 3), (Status.REJECTED, 6), (Status.DUPLICATE, 6))
    elif age_days < 45:
        table = ((Status.NEW, 3), (Status.ROUTED, 6), (Status.ACCEPTED, 14), (Status.ANSWERED, 22))
        table += ((Status.RETURNED, 6), (Status.RESOLVED, 25), (Status.CLOSED, 12), (Status.REOPENED, 1.5))
        table += ((Status.REJECTED, 7), (Status.DUPLICATE, 5))
    else:
        table = ((Status.NEW, 0.3), (Status.ROUTED, 0.5), (Status.ACCEPTED, 0.7), (Status.ANSWERED, 1))
        table += ((Status.RETURNED, 0.5), (Status.RESOLVED, 8), (Status.CLOSED, 75))
        table += ((Status.REJECTED, 8), (Status.DUPLICATE, 6))
    statuses, weights = zip(*table, strict=True)
    return rng.choices(statuses, weights)[0]


def bulk_build_reports(
    *,
    region: Region,
    count: int,
    seed: int = DEMO_SEED,
    start: date = DEMO_START,
    end: date = DEMO_END,
    batch_size: int = BATCH_SIZE,
    now: datetime | None = None,
    mark_demo: bool = True,
    live_until_now: bool = False,
) -> BuildResult:
    """Build `count` reports of `region` submitted between `start` and `end`, in bulk; returns counts.

    The reports live up to the end of the period (their last steps are no later, their statuses
    are those of their age then), or up to `now` with `live_until_now` (a period long past: its
    reports answered and closed since, as the demo's 2024-2025 are by the day it is built).
    Public references continue the region's counters for each year (the counters end at the last
    number given). Call it inside a transaction (the demo command does); it opens one otherwise.
    The random draws are seeded by `seed` and the region, so two regions never share a tracking
    token's hash.
    """
    # The region's local days throughout (its zone: accounts.zones.region_zone).
    with transaction.atomic(), timezone.override(region_zone(region)):
        return _Builder(region=region, seed=seed, now=now or timezone.now(), mark_demo=mark_demo).build(
            count=count, start=start, end=end, batch_size=batch_size, live_until_now=live_until_now
        )


class _Builder:
    def __init__(self, *, region: Region, seed: int, now: datetime, mark_demo: bool):
        self.region = region
        # A string seed is hashed whole (random.seed, version 2): stable across runs and machines.
        self.rng = random.Random(f"{seed}:{region.short_code}")
        # The graffiti answers' photos (timeline.GRAFFITI_*) from a stream of their own.
        self.photo_rng = random.Random(f"{seed}:{region.short_code}:photos")
        self.now = now
        self.mark_demo = mark_demo
        self.categories = list(Category.objects.filter(is_active=True).prefetch_related("attributes"))
        if not self.categories:
            raise ValueError("no active categories: run load_reference first")
        self.themes = {category.id: theme_of(category) for category in self.categories}
        # A theme's weight is shared by its categories (two "other" categories split one share).
        per_theme: dict[str, int] = {}
        for theme in self.themes.values():
            per_theme[theme.name] = per_theme.get(theme.name, 0) + 1
        self.category_weights = [self.themes[c.id].weight / per_theme[self.themes[c.id].name] for c in self.categories]
        self.places = _places(region)
        if not self.places:
            raise ValueError(f"region {region} has no districts")
        self.place_weights = [place.weight for place in self.places]
        self._attach_prosecutors()
        self.routes = Routes(region)
        self.deadlines = Deadlines(region_zone(region))
        self.channels, self.channel_weights = zip(*CHANNEL_WEIGHTS.items(), strict=True)
        self.actors = self._demo_actors()
        self.contact_number = itertools.count(1)
        self.escalation_line = working_days_ago(
            now, getattr(settings, "OVERDUE_ESCALATION_WORKING_DAYS", 5), zone=self.deadlines.zone
        )

    def other_body(self, report, body_id: int) -> int | None:
        """Where a body forwards a report it thinks is not its own: the police or the akimat of the
        district, whichever it is not."""
        first = self.fallback_body(report)
        if first is not None and first != body_id:
            return first
        akimat = self._bodies.get((Organisation.Type.AKIMAT, report.district_id)) or self._bodies.get(
            (Organisation.Type.AKIMAT, report.district.parent_id)
        )
        return akimat if akimat not in (None, body_id) else None

    def _attach_prosecutors(self) -> None:
        """The prosecutor's office whose triage queue gets a district's unrouted reports."""
        offices = Organisation.objects.filter(
            region=self.region,
            kind=Organisation.Kind.PROSECUTOR_OFFICE,
            type__in=[
                Organisation.Type.DISTRICT_OFFICE,
                Organisation.Type.CITY_DISTRICT_OFFICE,
                Organisation.Type.CITY_OFFICE,
            ],
        ).prefetch_related("districts")
        serving = {}
        for office in offices:
            for district in office.districts.all():
                # The narrowest office wins: a city district's own office before the city's.
                if district.id not in serving or office.type != Organisation.Type.CITY_OFFICE:
                    serving[district.id] = office.id
        for place in self.places:
            place.prosecutor_id = serving.get(place.district.id) or serving.get(place.district.parent_id)

    def _demo_actors(self) -> dict[int, int]:
        """organisation id -> the id of one of its users (the demo accounts), to sign events."""
        actors = {}
        rows = User.objects.filter(organisation__region=self.region, is_active=True).order_by("id")
        for user_id, organisation_id in rows.values_list("id", "organisation_id"):
            actors.setdefault(organisation_id, user_id)
        return actors

    # -- references

    def _references(self, moments: list[datetime]) -> list[str]:
        years = sorted({timezone.localtime(moment).year for moment in moments})
        counters = {}
        for year in years:
            counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
                region=self.region, year=year
            )
            counters[year] = counter
        references = []
        for moment in moments:
            counter = counters[timezone.localtime(moment).year]
            counter.last += 1
            references.append(format_reference(self.region.short_code, counter.year, counter.last))
        for counter in counters.values():
            counter.save(update_fields=["last"])
        return references

    # -- one report

    def build(self, *, count: int, start: date, end: date, batch_size: int, live_until_now: bool) -> BuildResult:
        last_submission = min(timezone.make_aware(datetime.combine(end, time(23, 59, 59))), self.now)
        period_end = self.now if live_until_now else last_submission
        moments = [moment for moment in _submission_times(self.rng, count, start, end) if moment <= last_submission]
        self.references = self._references(moments)
        result = BuildResult()
        # Duplicates point at an earlier report of the same category (and district when there is
        # one): indexes of the planned reports by (category, district) and by category.
        self.earlier: dict[tuple, list[int]] = {}
        self.earlier_in_category: dict[int, list[int]] = {}
        self.duplicates: list[tuple[Report, int]] = []
        self.pks: list[int] = []
        for offset in range(0, len(moments), batch_size):
            planned = [
                self._plan(index, moments[index], period_end)
                for index in range(offset, min(offset + batch_size, len(moments)))
            ]
            self._write(planned, result)
        self._link_duplicates()
        return result

    def _plan(self, index: int, submitted_at: datetime, period_end: datetime):
        rng = self.rng
        place = rng.choices(self.places, self.place_weights)[0]
        category = rng.choices(self.categories, self.category_weights)[0]
        theme = self.themes[category.id]
        channel = rng.choices(self.channels, self.channel_weights)[0]
        kazakh = rng.random() < 0.4
        streets = place.streets_kk if kazakh else place.streets_ru
        street = f"{_pick(rng, streets)}, {rng.randint(1, 120)}"
        template = _pick(rng, theme.kk if kazakh else theme.ru)
        description = _fill(rng, template, street) + _pick(rng, ENDINGS_KK if kazakh else ENDINGS_RU)
        point = place.point(rng) if rng.random() < 0.85 or category.requires_location else None
        town = place.town_kk if kazakh else place.town_ru
        address = f"{town}, {street}" if point is None or rng.random() < 0.7 else ""
        body_id = self.routes.body_id(category, place.district)
        age_days = (period_end - submitted_at).total_seconds() / 86400
        status = _final_status(rng, age_days)
        if body_id is None and age_days < 30 and rng.random() < 0.5:
            status = Status.NEW  # no rule and no body: recent ones still wait in the prosecutor's triage
        key = (category.id, place.district.id)
        original = None
        if status == Status.DUPLICATE:
            candidates = self.earlier.get(key) or self.earlier_in_category.get(category.id)
            if candidates:
                original = candidates[-1 - rng.randrange(min(len(candidates), 5))]
            else:
                status = Status.CLOSED  # the first report of its kind is nobody's duplicate
        else:
            self.earlier.setdefault(key, []).append(index)
            self.earlier_in_category.setdefault(category.id, []).append(index)
        report = Report(
            region=self.region,
            reference=self.references[index],
            tracking_token_hash=hashlib.sha256(rng.getrandbits(256).to_bytes(32, "big")).hexdigest(),
            category=category,
            district=place.district,
            channel=channel,
            description=description,
            address=address,
            latitude=point[0] if point else None,
            longitude=point[1] if point else None,
            attributes=_attributes(rng, category, description),
            sensitive=category.sensitive,
            submitted_at=submitted_at,
        )
        if channel in (Channel.HOTLINE, Channel.RECEPTION, Channel.OTHER):
            report.entered_by_id = self.actors.get(place.prosecutor_id)
        timeline = _Timeline(self, report, place, _Clock(rng, submitted_at, period_end))
        timeline.play(status, body_id, theme.answers_kk if kazakh else theme.answers_ru, kazakh, original)
        contact = None
        if rng.random() < (0.5 if category.sensitive else 0.2):
            number = next(self.contact_number)
            contact = ReporterContact(
                name=f"Demo Reporter {number}",
                phone=f"+7 700 000 {number // 100 % 100:02d} {number % 100:02d}" if rng.random() < 0.8 else "",
                email=f"demo-reporter-{number}@example.com" if rng.random() < 0.4 else "",
                consent_at=submitted_at,
            )
        if not category.sensitive and report.status not in (Status.REJECTED, Status.DUPLICATE) and rng.random() < 0.03:
            timeline.supporters = rng.randint(1, 4)
        if contact is not None and report.status in (Status.RESOLVED, Status.CLOSED) and rng.random() < 0.3:
            report.rating = rng.choices((1, 2, 3, 4, 5), (1, 1, 2, 4, 5))[0]
        return report, timeline, contact, original

    def fallback_body(self, report) -> int | None:
        """Where the prosecutor sends a report out of triage: the most local police unit, else the
        akimat, serving the report's district (or its city)."""
        if not hasattr(self, "_bodies"):
            self._bodies = {}
            rows = Organisation.objects.filter(region=self.region, kind=Organisation.Kind.BODY, is_active=True)
            # The most local first: an organisation serving fewer units wins.
            for organisation in sorted(rows.prefetch_related("districts"), key=lambda o: len(o.districts.all())):
                for district in organisation.districts.all():
                    self._bodies.setdefault((organisation.type, district.id), organisation.id)
        for body_type in (Organisation.Type.POLICE_UNIT, Organisation.Type.AKIMAT, Organisation.Type.POLICE):
            for district_id in (report.district_id, report.district.parent_id):
                if (body_type, district_id) in self._bodies:
                    return self._bodies[(body_type, district_id)]
        return None

    # -- writing

    def _write(self, planned, result: BuildResult) -> None:
        reports = [report for report, _timeline, _contact, _original in planned]
        Report.objects.bulk_create(reports)
        events, contacts, answers, forwards, extensions, supporters = [], [], [], [], [], []
        photos, painted_over = [], []  # the graffiti's photos; the answers that get a photo
        for report, timeline, contact, original in planned:
            self.pks.append(report.pk)
            result.by_status[report.status] = result.by_status.get(report.status, 0) + 1
            if original is not None and report.status == Status.DUPLICATE:
                self.duplicates.append((report, original))
            events.extend(ReportEvent(report=report, **values) for values in timeline.events)
            for values, photo in zip(timeline.answers, timeline.answer_photos, strict=True):
                answers.append(Answer(report=report, **values))
                if photo:
                    painted_over.append(answers[-1])
            if timeline.graffiti:  # the category asks for a photo with the report
                photos.append(demo_photo_row(report, self.photo_rng.randrange(VARIANTS)))
            forwards.extend(Forward(report=report, **values) for values in timeline.forwards)
            extensions.extend(ExtensionRequest(report=report, **values) for values in timeline.extensions)
            supporters.extend(
                ReportSupporter(
                    report=report,
                    kind=ReportSupporter.Kind.ME_TOO,
                    tracking_token_hash=hashlib.sha256(self.rng.getrandbits(256).to_bytes(32, "big")).hexdigest(),
                    created_at=report.submitted_at + timedelta(hours=n + 1),
                )
                for n in range(timeline.supporters)
            )
            if contact is not None:
                contact.report = report
                contacts.append(contact)
        ReportEvent.objects.bulk_create(events)
        relink_events(report.pk for report in reports)  # each event's `until`: the next one's `at`
        ReporterContact.objects.bulk_create(contacts)
        Answer.objects.bulk_create(answers)
        photos += [demo_photo_row(a.report, self.photo_rng.randrange(VARIANTS), answer=a) for a in painted_over]
        ReportPhoto.objects.bulk_create(photos)
        Forward.objects.bulk_create(forwards)
        ExtensionRequest.objects.bulk_create(extensions)
        ReportSupporter.objects.bulk_create(supporters)
        result.reports += len(reports)
        result.events += len(events)
        result.contacts += len(contacts)
        result.answers += len(answers)
        result.forwards += len(forwards)
        result.extensions += len(extensions)
        result.supporters += len(supporters)
        result.photos += len(photos)

    def _link_duplicates(self) -> None:
        """Point each duplicate at its original, now that every report has its id."""
        changed = []
        for report, original in self.duplicates:
            report.duplicate_of_id = self.pks[original]
            changed.append(report)
        Report.objects.bulk_update(changed, ["duplicate_of"], batch_size=1000)
