"""The board's demo (a step of `manage.py demo`): its meetings of 2024, 2025 and the live months up
to today (a board meeting each quarter, half-year, 9 months and year; coordination meetings of the
law-enforcement bodies; the working groups' meetings), the reports heard at them, the directives
they issued followed addressee by addressee in every state, the projects and the two
interdepartmental working groups. Everything is written through board.services, each change
entered on the day it is dated (`now=`), so the history reads as it happened: a directive left
unexecuted is carried to the next meeting of its kind when that meeting is held. A refresh (`demo
--if-empty`, as `make run` does on a later day) goes on from the last change written: the same
yearly plan of meetings, each execution's story chosen by its turn whatever the day.

Calibrated to the board's two documents (../reference/):
- the 16 October 2025 board (1 January - 30 September 2025): "the regional prosecutor issued a
  series of directives to strengthen measures against fraud, drug trafficking, juvenile
  delinquency, and other socially dangerous acts";
- the 27 December 2025 board (the year 2025): "the regional prosecutor gave instructions to city
  district prosecutors to coordinate the activities of all state and law enforcement agencies aimed
  at reducing crime and creating a safe environment";
- "An interdepartmental working group operates under the regional prosecutor's office" (the
  project "<city> — Territory Without Fraud"), and "together with the akimat, an interdepartmental
  working group has been created and two projects are being implemented aimed at protecting the
  rights of children" (November 2025).

Speakers are named by their posts, never by invented persons' names; the chair is the demo
regional prosecutor (accounts.demo). Texts that a reader of any language sees (titles, directives,
projects) are written in kk, ru and en; the minutes' own fields (speakers, topics, agenda) in
Russian, as the office keeps them.
"""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from accounts.models import District, Organisation, Region, User
from accounts.zones import local_today, region_zone

from .demo_plans import (
    BOARD_SPEAKERS,
    DONE,
    GROUPS,
    PROGRESS,
    PROJECTS,
    RETURN_COMMENT,
    STORIES,
    Planned,
    PlannedMeeting,
    docx_file,
    evidence_bytes,
    schedule,
    story_steps,
)
from .models import DirectiveEvent, Meeting, MeetingEvent, Project, WorkingGroup
from .services import Refused
from .services.directives import directive_issue, execution_accept, execution_report, execution_return
from .services.meetings import meeting_hold, meeting_plan, meeting_report_add, resolution_issue
from .services.projects import project_create, working_group_create

REGIONAL, SECRETARY, CONTROLLER = "regional", "secretary", "department"
Kind = Meeting.Kind

# --- the writer -----------------------------------------------------------------------------------


class _Writer:
    def __init__(self, region: Region, today: date, since: datetime | None = None):
        self.region, self.today, self.zone = region, today, region_zone(region)
        self.now = datetime.combine(today, time(9), self.zone)
        # A refresh: what was dated by `since` is written already (the writer goes over it again,
        # finding the records instead of making them, so that the stories fall as they did).
        self.since = since
        self.users = {u.username: u for u in User.objects.filter(username__in=(REGIONAL, SECRETARY, CONTROLLER))}
        self.orgs = Organisation.objects.filter(region=region).in_bulk(field_name="code")
        # An addressee's staff member who answers for it (accounts.demo's users; none: no answer).
        self.staff = {}
        for user in User.objects.filter(organisation__region=region, is_active=True).order_by("pk"):
            if user.organisation is not None and user.username not in (REGIONAL, SECRETARY, CONTROLLER):
                self.staff.setdefault(user.organisation.code, user)
        self.turn = 0
        self.later: list[tuple[datetime, int, Callable]] = []  # the executions' steps, run in date order
        self.projects: dict[str, Project] = {}
        self.groups: dict = {}
        self.written = 0

    def at(self, day: date, hour: int = 11) -> datetime:
        return datetime.combine(day, time(hour), self.zone)

    def run_until(self, moment: datetime) -> None:
        """The executions' steps dated before `moment`, in their order."""
        self.later.sort(key=lambda item: (item[0], item[1]))
        while self.later and self.later[0][0] < moment:
            _, _, step = self.later.pop(0)
            step()

    def city_name(self, language: str) -> str:
        """The region's city (of regional significance): its centre's name in `language`."""
        city = District.objects.filter(region=self.region, kind=District.Kind.CITY).order_by("kato").first()
        return city.localized("centre", language) if city is not None else ""

    def projects_and_groups(self) -> None:
        secretary = self.users[SECRETARY]
        for code, start, lead, partners, metrics, area, names, descriptions in PROJECTS:
            if start > self.today:
                continue
            found = Project.objects.filter(region=self.region, code=code).first()
            if found is not None:
                self.projects[code] = found
                continue
            self.projects[code] = project_create(
                actor=secretary,
                region=self.region,
                code=code,
                lead=self.orgs[lead],
                started_on=start,
                partners=[self.orgs[c] for c in partners],
                metric_codes=metrics,
                area=area,
                **{
                    f"name_{lang}": name.format(city=self.city_name(lang))
                    for lang, name in zip(("kk", "ru", "en"), names, strict=True)
                },
                **dict(zip(("description_kk", "description_ru", "description_en"), descriptions, strict=True)),
                now=self.at(start, 10),
            )
            self.written += 1
        for key, created_on, members, projects, names in GROUPS:
            if created_on > self.today:
                continue
            found = WorkingGroup.objects.filter(region=self.region, created_on=created_on, name_en=names[2]).first()
            if found is not None:
                self.groups[key] = found
                continue
            self.groups[key] = working_group_create(
                actor=secretary,
                region=self.region,
                lead=self.orgs["akt-prok-region"],
                members=[self.orgs[c] for c in members],
                created_on=created_on,
                projects=[self.projects[p] for p in projects if p in self.projects],
                **{
                    f"name_{lang}": name.format(city=self.city_name(lang))
                    for lang, name in zip(("kk", "ru", "en"), names, strict=True)
                },
                now=self.at(created_on, 15),
            )
            self.written += 1

    def meeting(self, planned: PlannedMeeting) -> None:
        planned_on = planned.held_on - timedelta(days=21)
        if planned_on > self.today or (planned.group and planned.group not in self.groups):
            return
        self.run_until(self.at(planned_on))
        keeper, regional = self.users[SECRETARY], self.users[REGIONAL]
        issuer = regional if planned.kind == Kind.BOARD else keeper
        held = self.at(planned.held_on, 10)
        meeting = Meeting.objects.filter(
            region=self.region, kind=planned.kind, held_on=planned.held_on, working_group=self.groups.get(planned.group)
        ).first()
        if meeting is not None and meeting.status == Meeting.Status.HELD:
            # Held before a refresh: its directives' stories go on.
            for directive in meeting.directives.order_by("number"):
                self.follow(directive, directive.issued_at)
            return
        meeting = meeting or self.plan(planned, planned_on)
        if held > self.now:
            return  # planned, not held yet
        self.run_until(held)
        for post, code, topic in planned.speakers or BOARD_SPEAKERS[:3]:
            # A board's reports come with their text; the other meetings' are heard without.
            upload = docx_file("doklad.docx", post, topic) if planned.kind == Kind.BOARD else None
            meeting_report_add(
                actor=keeper,
                meeting=meeting,
                speaker=post,
                topic=topic,
                office=self.orgs[code],
                upload=upload,
                now=held,
            )
        meeting_hold(actor=keeper, meeting=meeting, now=held + timedelta(hours=3))
        for directive in planned.directives:
            self.directive(meeting, directive, issuer, held + timedelta(hours=4))
        if planned.directives and planned.kind == Kind.BOARD:
            on = planned.held_on + timedelta(days=1)
            resolution_issue(actor=keeper, meeting=meeting, on=on, now=self.at(on, 12))
        self.written += 1

    def plan(self, planned: PlannedMeeting, planned_on: date) -> Meeting:
        keeper, chair = self.users[SECRETARY], self.users[REGIONAL].get_full_name()
        self.written += 1
        return meeting_plan(
            actor=keeper,
            region=self.region,
            kind=planned.kind,
            held_on=planned.held_on,
            period_start=planned.period[0],
            period_end=planned.period[1],
            chair=chair,
            participants="Заместители прокурора области, прокуроры городов и районов, начальники управлений; "
            "руководители территориальных органов (по приглашению).",
            agenda="1. " + planned.titles[1] + ".\n2. О ходе исполнения ранее данных поручений.",
            title_kk=planned.titles[0],
            title_ru=planned.titles[1],
            title_en=planned.titles[2],
            working_group=self.groups.get(planned.group),
            now=self.at(planned_on, 16),
        )

    def directive(self, meeting: Meeting, planned: Planned, issuer, issued: datetime) -> None:
        deadline = meeting.held_on + timedelta(days=planned.days)
        directive = directive_issue(
            actor=issuer,
            meeting=meeting,
            area=planned.area,
            deadline=deadline,
            addressees=[self.orgs[code] for code in planned.addressees],
            controller=self.users[CONTROLLER] if meeting.kind != Kind.BOARD else self.users[REGIONAL],
            text_kk=planned.texts[0],
            text_ru=planned.texts[1],
            text_en=planned.texts[2],
            project=self.projects.get(planned.project),
            metric_codes=planned.metrics,
            now=issued,
        )
        self.written += 1
        self.follow(directive, issued)

    def follow(self, directive, issued: datetime) -> None:
        """Each addressee's story, its steps to be run in date order (one with no demo staff to
        answer stays issued, and overdue once its deadline passes)."""
        for addressee in directive.addressees.select_related("organisation").order_by("pk"):
            actor = self.staff.get(addressee.organisation.code)
            if actor is None:
                continue
            story = STORIES[self.turn % len(STORIES)]
            self.turn += 1
            for moment, step in story_steps(story, issued, addressee.deadline_at):
                if self.since is None or moment > self.since:  # a refresh: the steps not written yet
                    self.later.append((moment, addressee.pk, self._step(step, addressee, actor, directive, moment)))

    def _step(self, step: str, addressee, actor, directive, moment: datetime) -> Callable:
        controller = directive.controller

        def run() -> None:
            try:
                with transaction.atomic():
                    write()
            except (Refused, PermissionDenied):
                pass  # changed by hand on the demo's pages since: its story stops here

        def write() -> None:
            if step == "progress":
                execution_report(actor=actor, addressee=addressee, text=PROGRESS, now=moment)
            elif step == "report":
                evidence = ContentFile(evidence_bytes(), name="spravka.docx")
                execution_report(actor=actor, addressee=addressee, text=DONE, final=True, files=[evidence], now=moment)
            elif step == "accept":
                execution_accept(actor=controller, addressee=addressee, now=moment)
            else:
                execution_return(actor=controller, addressee=addressee, comment=RETURN_COMMENT, now=moment)

        return run


def _write(writer: _Writer) -> int:
    if len(writer.users) < 3:
        return 0  # no demo regional prosecutor, secretary and controller (accounts.demo)
    writer.projects_and_groups()
    for planned in schedule(writer.today):
        writer.meeting(planned)
    writer.run_until(writer.now)
    return writer.written


@transaction.atomic
def build_demo_board(*, region: Region, today: date | None = None) -> int:
    """The region's demo projects, working groups, meetings and directives up to `today` (default:
    the region's today); the records written (0 where the demo was built before)."""
    if Meeting.objects.filter(region=region).exists():
        return 0  # built before: refresh_demo_board goes on from there
    return _write(_Writer(region, today or local_today(region)))


def _last_written(region: Region) -> datetime | None:
    """The moment of the last change the demo wrote (the scheduler's reminders and notices left
    out: they are dated when they run)."""
    written = DirectiveEvent.objects.filter(directive__region=region).exclude(
        kind__in=(DirectiveEvent.Kind.REMINDED, DirectiveEvent.Kind.OVERDUE)
    )
    moments = [
        written.aggregate(last=Max("at"))["last"],
        MeetingEvent.objects.filter(meeting__region=region).aggregate(last=Max("at"))["last"],
    ]
    return max((moment for moment in moments if moment is not None), default=None)


@transaction.atomic
def refresh_board_region(*, region: Region, today: date | None = None) -> int:
    """The days since the demo was built, up to `today`: the meetings planned and held since,
    their directives, and each execution's steps dated since (a story changed by hand on the
    demo's pages stops there); the records written."""
    since = _last_written(region)
    if since is None:
        return 0  # no demo board here: left alone
    return _write(_Writer(region, today or local_today(region), since=since))


def _regions():
    return Region.objects.filter(districts__isnull=False).distinct()


def create_demo_board(command) -> None:
    for region in _regions():
        written = build_demo_board(region=region)
        if written:
            command.stdout.write(f"Demo board of {region.short_code}: {written} meetings, directives and projects.")
        else:
            command.stdout.write(f"Board meetings of {region.short_code} exist (or no demo keepers): skipped.")


def refresh_demo_board(command) -> None:
    for region in _regions():
        if Meeting.objects.filter(region=region).exists():
            written = refresh_board_region(region=region)
            command.stdout.write(f"Demo board of {region.short_code} brought up to today: {written} records.")
