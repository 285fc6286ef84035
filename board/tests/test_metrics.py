"""The board's figures in the results summary (board.metrics): directives issued and their executions,
executed on time or late, open and overdue as of a day (from the events, whatever happened since),
carried over, by office and by district; the projects and working groups; the sentences in kk, ru
and en; and the series the board's pages show, month by month equal to the summary's figures. Each
figure is counted again in plain SQL."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import District, Organisation, Region
from board.metrics import overdue_as_of
from board.models import DirectiveAddressee, Project, ProjectEvent, WorkingGroup, WorkingGroupEvent
from board.policy import overdue_at
from board.series import sparkline
from board.services.directives import execution_accept, execution_report
from board.services.meetings import meeting_hold
from lib.metrics import Area
from lib.plugins import metric_series
from reporting.figures import Request, compute, rows_behind
from reporting.sentences import render
from reporting.series import months

from .board_factories import a_directive, a_meeting, noon

pytestmark = pytest.mark.django_db

AKTOBE = ZoneInfo("Asia/Aqtobe")
ALGA, TEMIR, CITY = "153200000", "155600000", "151010000"
FIRST, LAST, AS_OF = date(2025, 10, 1), date(2025, 11, 30), date(2025, 11, 30)


def region() -> Region:
    return Region.objects.get(districts__kato=ALGA)


def end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, AKTOBE) - timedelta(microseconds=1)


def summary(first=FIRST, last=LAST, as_of=AS_OF):
    return compute(Request.make(region=region(), start=first, end=last, as_of=as_of))


def execution(directive, code: str) -> DirectiveAddressee:
    return directive.addressees.get(organisation__code=code)


def executed(user, keeper, row, reported: date, accepted: date):
    execution_report(actor=user, addressee=row, text="Done.", final=True, now=noon(reported))
    execution_accept(actor=keeper, addressee=row, now=noon(accepted))


@pytest.fixture
def board(persona):
    """Three directives of the 16 October 2025 board, followed in the order things happened:
    - fraud, to Alga and Temir (due 1 November): Alga executed on time, Temir late;
    - drugs, to Alga's office and police (due 20 November): Alga reported on 10 November and was
      accepted only on 5 December; the police never answered;
    - children, to the city's office and a department of the region's (due 1 December): open.
    The 25 November board carries the two open directives."""
    keeper = persona("regional_prosecutor")
    alga, temir = persona("alga_prosecutor"), persona("temir_prosecutor")
    october = a_meeting(keeper)
    fraud = a_directive(keeper, october, "akt-prok-alga", "akt-prok-temir", deadline=date(2025, 11, 1))
    drugs = a_directive(
        keeper, october, "akt-prok-alga", "akt-police-alga", deadline=date(2025, 11, 20), area=Area.DRUGS
    )
    children = a_directive(
        keeper,
        october,
        "akt-prok-city",
        "akt-prok-region-pretrial",
        deadline=date(2025, 12, 1),
        area=Area.CHILDREN,
    )
    executed(alga, keeper, execution(fraud, "akt-prok-alga"), date(2025, 10, 30), date(2025, 11, 2))
    executed(temir, keeper, execution(fraud, "akt-prok-temir"), date(2025, 11, 5), date(2025, 11, 6))
    execution_report(
        actor=alga, addressee=execution(drugs, "akt-prok-alga"), text="Done.", final=True, now=noon(date(2025, 11, 10))
    )
    november = a_meeting(keeper, held_on=date(2025, 11, 25), period_start=date(2025, 1, 1))
    meeting_hold(actor=keeper, meeting=november, now=noon(date(2025, 11, 25)))
    execution_accept(actor=keeper, addressee=execution(drugs, "akt-prok-alga"), now=noon(date(2025, 12, 5)))
    return {"fraud": fraud, "drugs": drugs, "children": children}


# --- plain SQL ---------------------------------------------------------------------------------------

ACCEPTED_BY = (
    "EXISTS (SELECT 1 FROM board_directiveevent e WHERE e.addressee_id = a.id AND e.kind = 'accepted' "
    "AND e.at <= {moment})"
)


def _json(field: str) -> str:
    """A key of an event's data as text, in the database's own words."""
    if connection.vendor == "postgresql":
        return f"e.data ->> '{field}'"
    return f"json_extract(e.data, '$.{field}')"


PROJECTS_SQL = (
    "SELECT COUNT(*) FROM board_project p WHERE p.region_id = %(region)s {more} AND ("
    "SELECT {to} FROM board_projectevent e WHERE e.project_id = p.id AND e.kind IN ('created', 'status') "
    "AND {on} <= %(as_of_text)s AND e.at <= %(as_of)s ORDER BY {on} DESC, e.at DESC, e.id DESC LIMIT 1) = 'active'"
)
SQL = {
    "board.directives_issued": (
        "SELECT COUNT(*) FROM board_directive d WHERE d.region_id = %(region)s "
        "AND d.issued_at >= %(start)s AND d.issued_at < %(end)s AND d.issued_at <= %(as_of)s"
    ),
    "board.executions_assigned": (
        "SELECT COUNT(*) FROM board_directiveaddressee a JOIN board_directive d ON d.id = a.directive_id "
        "WHERE a.region_id = %(region)s AND d.issued_at >= %(start)s AND d.issued_at < %(end)s "
        "AND d.issued_at <= %(as_of)s"
    ),
    "board.executions_on_time": (
        "SELECT COUNT(*) FROM board_directiveevent e JOIN board_directiveaddressee a ON a.id = e.addressee_id "
        "WHERE e.kind = 'accepted' AND a.region_id = %(region)s AND a.executed_at >= %(start)s "
        "AND a.executed_at < %(end)s AND e.at <= %(as_of)s AND a.executed_at <= a.deadline_at"
    ),
    "board.executions_late": (
        "SELECT COUNT(*) FROM board_directiveevent e JOIN board_directiveaddressee a ON a.id = e.addressee_id "
        "WHERE e.kind = 'accepted' AND a.region_id = %(region)s AND a.executed_at >= %(start)s "
        "AND a.executed_at < %(end)s AND e.at <= %(as_of)s AND a.executed_at > a.deadline_at"
    ),
    "board.executions_open": (
        "SELECT COUNT(*) FROM board_directiveaddressee a JOIN board_directive d ON d.id = a.directive_id "
        "WHERE a.region_id = %(region)s AND d.issued_at <= %(as_of)s AND NOT " + ACCEPTED_BY.format(moment="%(as_of)s")
    ),
    "board.executions_overdue": (
        "SELECT COUNT(*) FROM board_directiveaddressee a JOIN board_directive d ON d.id = a.directive_id "
        "WHERE a.region_id = %(region)s AND d.issued_at <= %(as_of)s AND a.deadline_at < %(as_of)s AND NOT "
        + ACCEPTED_BY.format(moment="%(as_of)s")
    ),
    "board.directives_carried": (
        "SELECT COUNT(*) FROM board_directiveevent c JOIN board_directive d ON d.id = c.directive_id "
        "WHERE c.kind = 'carried' AND d.region_id = %(region)s AND c.at >= %(start)s AND c.at < %(end)s "
        "AND c.at <= %(as_of)s"
    ),
    "board.executions_carried": (
        "SELECT COUNT(*) FROM board_directiveevent c JOIN board_directiveaddressee a "
        "ON a.directive_id = c.directive_id WHERE c.kind = 'carried' AND a.region_id = %(region)s "
        "AND c.at >= %(start)s AND c.at < %(end)s AND c.at <= %(as_of)s AND NOT " + ACCEPTED_BY.format(moment="c.at")
    ),
    # A project's status on the day: its latest status event dated by the day, entered by the moment.
    "board.projects_under_way": PROJECTS_SQL.replace("{more}", ""),
    "board.projects_children": PROJECTS_SQL.replace("{more}", "AND p.area = 'children'"),
    "board.working_groups": (
        "SELECT COUNT(*) FROM board_workinggroup g WHERE g.region_id = %(region)s AND g.created_at <= %(as_of)s "
        "AND g.created_on <= %(as_of_day)s AND NOT (g.dissolved_on IS NOT NULL AND g.dissolved_on <= %(as_of_day)s "
        "AND EXISTS (SELECT 1 FROM board_workinggroupevent e WHERE e.group_id = g.id AND e.kind = 'dissolved' "
        "AND e.at <= %(as_of)s))"
    ),
}


def by_sql(code: str, first=FIRST, last=LAST, as_of=AS_OF) -> int:
    ops = connection.ops
    start = datetime.combine(first, time.min, AKTOBE)
    end = datetime.combine(last + timedelta(days=1), time.min, AKTOBE)
    params = {
        "region": region().pk,
        "start": ops.adapt_datetimefield_value(start),
        "end": ops.adapt_datetimefield_value(end),
        "as_of": ops.adapt_datetimefield_value(end_of(as_of)),
        "as_of_day": ops.adapt_datefield_value(as_of),
        "as_of_text": as_of.isoformat(),  # the day as the events' data write it
    }
    statement = SQL[code].replace("{to}", _json("to")).replace("{on}", _json("on"))
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()[0]


# --- the figures -------------------------------------------------------------------------------------


def test_it_computes_every_figure_as_plain_sql_does(board):
    figures = summary()
    expected = {
        "board.directives_issued": 3,
        "board.executions_assigned": 6,
        "board.executions_on_time": 1,  # the drugs directive's Alga execution was accepted after the date
        "board.executions_late": 1,
        "board.executions_open": 4,
        "board.executions_overdue": 2,
        "board.directives_carried": 2,
        "board.executions_carried": 4,
    }
    for code, value in expected.items():
        assert figures.figure(code).value == value == by_sql(code), code
    assert figures.figure("board.executions_executed").value == 2
    assert figures.figure("board.executions_on_time_share").value == 50


def test_it_reads_overdue_as_it_stood_although_accepted_since(board):
    drugs_alga = execution(board["drugs"], "akt-prok-alga")
    assert drugs_alga.status == DirectiveAddressee.Status.EXECUTED  # accepted on 5 December
    overdue = summary().figure("board.executions_overdue")
    by_office = {part.key: part.value for part in overdue.by["office"] if part.value}
    assert by_office == {"akt-prok-alga": 1, "akt-police-alga": 1}
    # As of 10 December, it is no longer: only the police's (and, past its deadline, the children's two).
    later = summary(last=date(2025, 12, 10), as_of=date(2025, 12, 10)).figure("board.executions_overdue")
    assert later.value == 3 == by_sql("board.executions_overdue", last=date(2025, 12, 10), as_of=date(2025, 12, 10))
    # At the present moment, the events say what board.policy says of the rows.
    now = timezone.now()
    assert set(DirectiveAddressee.objects.filter(overdue_as_of(now))) == set(
        DirectiveAddressee.objects.filter(overdue_at(now))
    )


def test_it_breaks_the_executions_down_by_office_area_and_district(board):
    assigned = summary().figure("board.executions_assigned")
    assert {part.key: part.value for part in assigned.by["office"]} == {
        "akt-prok-alga": 2,
        "akt-prok-temir": 1,
        "akt-police-alga": 1,
        "akt-prok-city": 1,
        "akt-prok-region-pretrial": 1,
    }
    assert {part.key: part.value for part in assigned.by["area"]} == {"fraud": 2, "drugs": 2, "children": 2}
    by_district = {part.key: part.value for part in assigned.by_district if part.value}
    # The region's department serves every district: it counts in the region's total only.
    assert by_district == {ALGA: 3, TEMIR: 1, CITY: 1}
    issued = summary().figure("board.directives_issued")
    assert {part.key: part.value for part in issued.by["area"]} == {"fraud": 1, "drugs": 1, "children": 1}


def test_a_district_summary_counts_its_offices_executions(board):
    alga = District.objects.get(kato=ALGA)
    request = Request.make(region=region(), start=FIRST, end=LAST, as_of=AS_OF, district_ids=frozenset({alga.pk}))
    figures = compute(request)
    assert figures.figure("board.executions_assigned").value == 3
    assert figures.figure("board.executions_overdue").value == 2
    assert figures.figure("board.executions_carried").value == 2


def _project(code: str, started: date, *, area: str = "", ended: date | None = None) -> Project:
    """A project recorded under way from its start and, if it ended, completed that day: its rows
    and status events as board.services.projects writes them."""
    project = Project.objects.create(
        region=region(),
        code=code,
        name_en=code,
        lead=Organisation.objects.get(code="akt-prok-region"),
        area=area,
        started_on=started,
        ended_on=ended,
        status=Project.Status.COMPLETED if ended else Project.Status.ACTIVE,
        created_at=noon(started),
    )
    Kind = ProjectEvent.Kind
    ProjectEvent.objects.create(project=project, kind=Kind.CREATED, at=noon(started), data=_to("active", started))
    if ended:
        data = {"from": "active", **_to("completed", ended)}
        ProjectEvent.objects.create(project=project, kind=Kind.STATUS, at=noon(ended), data=data)
    return project


def _group(created: date, *, dissolved: date | None = None, entered: datetime | None = None) -> WorkingGroup:
    group = WorkingGroup.objects.create(
        region=region(),
        name_en="Interdepartmental working group",
        lead=Organisation.objects.get(code="akt-prok-region"),
        created_on=created,
        dissolved_on=dissolved,
        created_at=noon(created),
    )
    if dissolved:
        group.events.create(kind=WorkingGroupEvent.Kind.DISSOLVED, at=entered, data={"on": dissolved.isoformat()})
    return group


def _to(status: str, day: date) -> dict:
    return {"to": status, "on": day.isoformat()}


def test_it_counts_the_projects_and_working_groups_as_of_the_day():
    _project("children-one", date(2025, 3, 1), area=Area.CHILDREN)
    _project("children-two", date(2025, 9, 1), area=Area.CHILDREN)
    _project("law-and-order", date(2024, 1, 1), area=Area.CRIME, ended=date(2025, 6, 30))
    _project("later", date(2025, 12, 1), area=Area.CHILDREN)
    _group(date(2025, 2, 1))
    _group(date(2024, 2, 1), dissolved=date(2025, 8, 1), entered=noon(date(2025, 8, 1)))
    # Dissolved on 10 October, entered on the 20th: as of the 16th, it was still operating.
    _group(date(2024, 5, 1), dissolved=date(2025, 10, 10), entered=noon(date(2025, 10, 20)))
    figures = summary(first=date(2025, 1, 1), last=date(2025, 9, 30), as_of=date(2025, 10, 16))
    assert figures.figure("board.projects_under_way").value == 2
    assert figures.figure("board.projects_children").value == 2
    assert figures.figure("board.working_groups").value == 2
    for code in ("board.projects_under_way", "board.projects_children", "board.working_groups"):
        assert figures.figure(code).value == by_sql(code, date(2025, 1, 1), date(2025, 9, 30), date(2025, 10, 16))
    # On 29 June 2025 the prevention project was still under way (completed on the 30th); the second
    # children's one not yet.
    june = summary(first=date(2025, 1, 1), last=date(2025, 6, 29), as_of=date(2025, 6, 29))
    assert june.figure("board.projects_under_way").value == 2
    assert june.figure("board.projects_children").value == 1


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", "Following the results of the board meetings, the regional prosecutor issued 3 directives."),
        ("ru", "По итогам заседаний коллегии прокурором области дано 3 поручения."),
        ("kk", "Алқа отырыстарының қорытындысы бойынша облыс прокуроры 3 тапсырма берді."),
    ],
)
def test_the_sentences_render_in_each_language(board, language, expected):
    from board.metrics import SENTENCES

    figures = {figure.code: figure for figure in summary().figures}
    texts = {sentence.code: render(getattr(sentence, language), language, figures) for sentence in SENTENCES}
    assert texts["board.directives"] == expected
    for code in ("board.executed", "board.executed_late", "board.overdue", "board.carried"):
        assert texts[code], code
    assert "2" in texts["board.overdue"]
    # No project nor working group: those sentences are left out, never written as zero.
    assert texts["board.working_groups"] is None and texts["board.projects_children"] is None


def test_the_series_are_the_summarys_figures_month_by_month(board):
    codes = ["board.executions_assigned", "board.executions_overdue", "no.such.metric"]
    series = metric_series(region().pk, codes, date(2025, 10, 16), date(2026, 1, 10), "en")
    assert [entry["code"] for entry in series] == codes[:2]
    assert series[1]["name"] == "Directives overdue"
    for entry in series:
        assert [point["month"] for point in entry["points"]] == months(date(2025, 10, 1), date(2026, 1, 1))
        for point in entry["points"]:
            month = point["month"]
            last = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            figure = compute(Request.make(region=region(), start=month, end=last)).figure(entry["code"])
            assert point["value"] == figure.value, (entry["code"], month)
    assert [point["value"] for point in series[0]["points"]] == [6, 0, 0, 0]
    # Overdue at the end of each month: November's two, December's three, January's still three.
    assert [point["value"] for point in series[1]["points"]] == [0, 2, 3, 3]


def test_the_series_keep_to_three_years_and_leave_out_the_future():
    assert len(months(date(2020, 1, 1), date(2025, 12, 1))) == 36
    assert months(date(2025, 10, 5), date(2025, 12, 1)) == [date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1)]
    future = date.today() + timedelta(days=400)
    series = metric_series(region().pk, ["board.directives_issued"], date.today(), future, "en")
    assert len(series[0]["points"]) == 1  # this month only


def test_a_directives_page_shows_the_metrics_it_aims_to_move_since_it_was_issued(persona, login):
    keeper = persona("regional_prosecutor")
    meeting = a_meeting(keeper)
    directive = a_directive(
        keeper, meeting, "akt-prok-alga", "akt-prok-temir", metric_codes=["board.executions_assigned"]
    )
    page = login("regional_prosecutor").get(reverse("board:directive", args=[directive.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    series = page.context["series"]
    assert [entry["code"] for entry in series] == ["board.executions_assigned"]
    assert series[0]["points"][0] == {"month": date(2025, 10, 1), "value": 2}
    html = page.content.decode()
    assert "Executions assigned" in html and '<time datetime="2025-10">October 2025</time>' in html
    assert "<polyline" in html  # its course drawn, months on end
    # In Kazakh by default (the catalogue's names as translated); a directive naming no metric shows no such panel.
    kazakh = login("regional_prosecutor").get(page.request["PATH_INFO"])
    assert 'data-code="board.executions_assigned"' in kazakh.content.decode()
    plain = a_directive(keeper, meeting, "akt-prok-alga")
    other = login("regional_prosecutor").get(reverse("board:directive", args=[plain.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert other.context["series"] == [] and "series-title" not in other.content.decode()


def test_the_sparkline_scales_the_values_to_its_box():
    points = [{"month": date(2025, month, 1), "value": value} for month, value in ((1, 0), (2, None), (3, 10))]
    assert sparkline(points) == "2.0,26.0 118.0,2.0"
    assert sparkline(points[:1]) == ""


def test_the_rows_behind_each_figure_link_to_their_directives(board):
    request = Request.make(region=region(), start=FIRST, end=LAST, as_of=AS_OF)
    overdue, count = rows_behind(request, "board.executions_overdue")
    assert count == 2
    assert {row["office"] for row in overdue} == {
        Organisation.objects.get(code=code).name for code in ("akt-prok-alga", "akt-police-alga")
    }
    assert {row["link"] for row in overdue} == {reverse("board:directive", args=[board["drugs"].pk])}
    late, count = rows_behind(request, "board.executions_late")
    assert count == 1 and late[0]["link"] == reverse("board:directive", args=[board["fraud"].pk])
    carried, count = rows_behind(request, "board.directives_carried")
    assert count == 2 and {row["number"] for row in carried} == {2, 3}
    assert rows_behind(request, "board.executions_carried")[1] == 4
    assert rows_behind(request, "board.directives_issued", dimension="area", key="drugs")[1] == 1
    assert rows_behind(request, "board.executions_assigned", district_kato=ALGA)[1] == 3


def test_the_rows_behind_the_projects_and_groups_name_them():
    _project("children-one", date(2025, 3, 1), area=Area.CHILDREN)
    _group(date(2025, 2, 1))
    request = Request.make(region=region(), start=date(2025, 1, 1), end=date(2025, 9, 30), as_of=date(2025, 10, 16))
    (project,), _count = rows_behind(request, "board.projects_children")
    assert (project["name"], project["status"], project["date"]) == ("children-one", "under way", "2025-03-01")
    (group,), _count = rows_behind(request, "board.working_groups")
    assert group["name"] == "Interdepartmental working group" and group["start"] == "2025-02-01"


def test_a_metric_the_districts_submit_is_read_as_the_summary_reads_it():
    from reporting.models import Metric

    Metric.objects.create(
        code="board.test_submitted",
        name_en="Submitted for the test",
        unit="count",
        area=Area.DIRECTIVES,
        kind="flow",
        aggregation="sum",
        source="submitted",
    )
    (entry,) = metric_series(region().pk, ["board.test_submitted"], date(2025, 1, 1), date(2025, 2, 28), "en")
    assert entry["name"] == "Submitted for the test"
    assert entry["points"] == [{"month": date(2025, 1, 1), "value": None}, {"month": date(2025, 2, 1), "value": None}]
