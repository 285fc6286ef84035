"""Projects and working groups: recorded and changed by the board's keepers, their statuses dated
events read as of any day, their pages scoped per persona; a project's page lists the directives
pointing to it and the outreach logged under its code."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Region
from board.models import Meeting, Project, ProjectEvent, WorkingGroupEvent
from board.services import Refused
from board.services.projects import (
    project_change,
    project_create,
    projects_under_way,
    status_on,
    working_group_change,
    working_group_create,
)
from registry.models import Outreach

from .board_factories import a_directive, a_meeting, noon, organisations

Status = Project.Status


@pytest.fixture
def keeper(persona):
    return persona("board_secretary")


def a_project(keeper, code="without_fraud", **extra):
    arguments = {
        "actor": keeper,
        "region": Region.objects.get(short_code="AKT"),
        "code": code,
        "lead": organisations("akt-prok-region")[0],
        "started_on": date(2025, 1, 10),
        "name_en": "Aktobe — Territory Without Fraud",
        "partners": organisations("akt-akimat-region", "bank-halyk"),
        "now": noon(date(2025, 1, 10)),
    }
    return project_create(**{**arguments, **extra})


def a_group(keeper, *members, **extra):
    return working_group_create(
        actor=keeper,
        region=keeper.organisation.region,
        lead=organisations("akt-prok-region")[0],
        members=organisations(*(members or ("akt-prok-region", "akt-akimat-region"))),
        created_on=date(2025, 2, 1),
        name_en="Interdepartmental working group on children's rights",
        now=noon(date(2025, 2, 1)),
        **extra,
    )


# --- services ---------------------------------------------------------------------------------


def test_it_records_a_project_with_its_partners_and_a_dated_creation(keeper):
    project = a_project(keeper, metric_codes=["outreach.meetings", " outreach.brochures "])
    assert sorted(project.partners.values_list("code", flat=True)) == ["akt-akimat-region", "bank-halyk"]
    assert project.metric_codes == ["outreach.brochures", "outreach.meetings"]
    event = project.events.get()
    assert (event.kind, event.data) == (ProjectEvent.Kind.CREATED, {"to": "active", "on": "2025-01-10"})


def _other_region_body():
    region = Region.objects.create(kato="999999999", short_code="ZZZ", name_en="Another region")
    return Organisation.objects.create(
        region=region, code="zzz-akimat", kind=Organisation.Kind.BODY, type="akimat", name_en="Another akimat"
    )


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"name_en": ""}, "name_en", "at least one language"),
        ({"ended_on": date(2025, 1, 1)}, "ended_on", "cannot end before it starts"),
        ({"metric_codes": ["outreach.meetings", "no.such.metric"]}, "metric_codes", "no.such.metric"),
        ({"code": "Без кода"}, "code", "Latin letters"),
        ({"status": Status.COMPLETED}, "status", "planned or under way"),
        ({"started_on": date(2099, 1, 1)}, "status", "recorded as planned"),
        ({"partners": "other region"}, "partners", "another region"),
    ],
)
def test_it_refuses_a_project_with_a_clear_message(keeper, change, field, message):
    if change.get("partners") == "other region":
        change = {"partners": [_other_region_body()]}
    with pytest.raises(Refused) as refused:
        a_project(keeper, **change)
    assert any(message in text for text in refused.value.message_dict[field])
    assert not Project.objects.exists()


def test_it_refuses_a_second_project_of_the_region_with_the_same_code(keeper):
    a_project(keeper)
    with pytest.raises(Refused) as refused:
        a_project(keeper, name_en="Another")
    assert "Another project of the region has this code." in refused.value.message_dict["code"]


def test_only_the_boards_keepers_record_projects_and_groups(keeper, persona):
    for name in ("alga_prosecutor", "analyst", "alga_officer", "citizen"):
        with pytest.raises(PermissionDenied):
            a_project(persona(name))
    project = a_project(keeper)
    with pytest.raises(PermissionDenied):
        project_change(actor=persona("alga_prosecutor"), project=project, status=Status.SUSPENDED)


def test_it_reads_the_status_as_of_a_day_from_the_dated_changes(keeper):
    project = a_project(keeper)
    region_id = project.region_id
    project_change(
        actor=keeper, project=project, status=Status.SUSPENDED, status_on=date(2025, 6, 1), now=noon(date(2025, 6, 3))
    )
    project_change(
        actor=keeper, project=project, status=Status.ACTIVE, status_on=date(2025, 9, 1), now=noon(date(2025, 9, 2))
    )
    project_change(
        actor=keeper,
        project=project,
        status=Status.COMPLETED,
        status_on=date(2025, 12, 20),
        now=noon(date(2025, 12, 22)),
    )
    project.refresh_from_db()
    assert (project.status, project.ended_on) == (Status.COMPLETED, date(2025, 12, 20))
    last = project.events.filter(kind=ProjectEvent.Kind.STATUS).last()
    assert last.data == {"from": "active", "to": "completed", "on": "2025-12-20"}
    assert status_on(project, date(2025, 1, 9)) is None
    assert status_on(project, date(2025, 3, 1)) == Status.ACTIVE
    assert status_on(project, date(2025, 7, 1)) == Status.SUSPENDED
    assert status_on(project, date(2025, 12, 19)) == Status.ACTIVE
    assert status_on(project, date(2026, 1, 1)) == Status.COMPLETED
    assert projects_under_way(region_id, date(2025, 7, 1)) == []
    assert projects_under_way(region_id, date(2025, 10, 1)) == [project]


@pytest.mark.parametrize(
    "on, message",
    [
        (date(2025, 1, 5), "its status changes on or after its start"),
        (date(2025, 5, 1), "a new one is dated on or after it"),
        (date(2099, 1, 1), "today or earlier"),
    ],
)
def test_it_refuses_a_status_change_dated_out_of_order(keeper, on, message):
    project = a_project(keeper)
    project_change(actor=keeper, project=project, status=Status.SUSPENDED, status_on=date(2025, 6, 1))
    with pytest.raises(Refused) as refused:
        project_change(actor=keeper, project=project, status=Status.ACTIVE, status_on=on)
    assert any(message in text for text in refused.value.message_dict["status_on"])
    project.refresh_from_db()
    assert project.status == Status.SUSPENDED
    assert project.events.filter(kind=ProjectEvent.Kind.STATUS).count() == 1


def test_a_change_of_fields_is_one_event_with_what_they_were(keeper):
    project = a_project(keeper)
    project_change(actor=keeper, project=project, name_ru="Территория без мошенничества", partners=[])
    event = project.events.get(kind=ProjectEvent.Kind.CHANGED)
    assert event.data["before"] == {"name_ru": "", "partners": ["akt-akimat-region", "bank-halyk"]}
    assert not project.partners.exists()


def test_a_working_groups_members_change_as_dated_events(keeper):
    group = a_group(keeper)
    assert group.events.get().kind == WorkingGroupEvent.Kind.CREATED
    working_group_change(
        actor=keeper,
        group=group,
        members=organisations("akt-prok-region", "akt-education-region", "akt-juvenile-region"),
    )
    members = group.events.get(kind=WorkingGroupEvent.Kind.MEMBERS)
    assert members.data == {"added": ["akt-education-region", "akt-juvenile-region"], "removed": ["akt-akimat-region"]}
    working_group_change(actor=keeper, group=group, dissolved_on=date(2025, 12, 30))
    assert group.events.get(kind=WorkingGroupEvent.Kind.DISSOLVED).data == {"on": "2025-12-30"}
    recorded_late = a_group(keeper, dissolved_on=date(2025, 6, 30))
    assert recorded_late.events.get(kind=WorkingGroupEvent.Kind.DISSOLVED).data == {"on": "2025-06-30"}


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"members": []}, "members", "sit in the working group"),
        ({"members": "bank"}, "members", "another region"),
        ({"dissolved_on": date(2025, 1, 1)}, "dissolved_on", "dissolved before it was created"),
        ({"name_en": ""}, "name_en", "at least one language"),
    ],
)
def test_it_refuses_a_working_group_with_a_clear_message(keeper, change, field, message):
    if change.get("members") == "bank":
        change = {"members": organisations("akt-prok-region", "bank-halyk")}
    with pytest.raises(Refused) as refused:
        working_group_create(
            actor=keeper,
            region=keeper.organisation.region,
            lead=organisations("akt-prok-region")[0],
            created_on=date(2025, 2, 1),
            **{"members": organisations("akt-prok-region"), "name_en": "A group", **change},
        )
    assert any(message in text for text in refused.value.message_dict[field])


# --- pages --------------------------------------------------------------------------------------


def test_a_keeper_records_a_project_on_its_form(keeper, login):
    client = login("board_secretary")
    form = {
        "name_en": "Law and Order",
        "code": "law_and_order",
        "lead": organisations("akt-prok-region")[0].pk,
        "partners": [org.pk for org in organisations("akt-akimat-region", "bank-halyk")],
        "started_on": "2025-03-01",
        "status": "active",
        "area": "crime",
        "metric_codes": "outreach.meetings, outreach.brochures",
    }
    response = client.post(reverse("board:project_new"), form)
    project = Project.objects.get(code="law_and_order")
    assert response.status_code == 302 and response.url == reverse("board:project", args=[project.pk])
    assert (project.area, project.metric_codes) == ("crime", ["outreach.brochures", "outreach.meetings"])

    refused = client.post(
        reverse("board:project_new"), {**form, "code": "children", "name_en": ""}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 200
    assert "Write the name in at least one language." in refused.content.decode()
    assert not Project.objects.filter(code="children").exists()


def test_a_keeper_changes_a_projects_status_on_its_page(keeper, login):
    project = a_project(keeper)
    client = login("board_secretary")
    response = client.post(
        reverse("board:project_status", args=[project.pk]),
        {"status-status": "suspended", "status-status_on": "2025-06-01", "status-note": "Funding paused"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == Status.SUSPENDED
    page = client.get(reverse("board:project", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "under way → suspended" in page and "Funding paused" in page

    edit = client.post(
        reverse("board:project_edit", args=[project.pk]),
        {
            "name_en": project.name_en,
            "code": project.code,
            "lead": project.lead_id,
            "started_on": "2025-01-10",
            "ended_on": "2024-12-31",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert edit.status_code == 200 and "The project cannot end before it starts." in edit.content.decode()
    project.refresh_from_db()
    assert project.ended_on is None and project.partners.count() == 2


def test_a_district_prosecutor_reads_the_projects_and_may_not_change_them(keeper, login):
    project = a_project(keeper)
    group = a_group(keeper)
    client = login("alga_prosecutor")
    listing = client.get(reverse("board:projects"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Territory Without Fraud" in listing and "working group on children" in listing
    assert "Record a project" not in listing
    assert client.get(reverse("board:project", args=[project.pk])).status_code == 200
    assert client.get(reverse("board:working_group", args=[group.pk])).status_code == 200
    assert client.get(reverse("board:project_new")).status_code == 403
    assert client.get(reverse("board:project_edit", args=[project.pk])).status_code == 403
    assert client.post(reverse("board:project_status", args=[project.pk]), {}).status_code == 403
    assert client.get(reverse("board:working_group_edit", args=[group.pk])).status_code == 403


@pytest.mark.parametrize("name", ["citizen", "bank_partner"])
def test_citizens_and_partners_get_403(keeper, login, name):
    project = a_project(keeper)
    group = a_group(keeper)
    client = login(name)
    for url in (
        reverse("board:projects"),
        reverse("board:project", args=[project.pk]),
        reverse("board:working_group", args=[group.pk]),
        reverse("board:project_new"),
    ):
        assert client.get(url).status_code == 403, url


def test_a_bodys_officer_reads_only_the_groups_and_projects_the_body_takes_part_in(keeper, login):
    project = a_project(keeper)
    theirs = a_project(keeper, code="law_and_order", name_en="Law and Order", partners=organisations("akt-police-alga"))
    other_group = a_group(keeper)
    their_group = a_group(keeper, "akt-prok-region", "akt-police-alga", name_ru="Группа с полицией")
    client = login("alga_officer")
    assert client.get(reverse("board:working_group", args=[other_group.pk])).status_code == 404
    assert client.get(reverse("board:project", args=[project.pk])).status_code == 404
    assert client.get(reverse("board:working_group", args=[their_group.pk])).status_code == 200
    assert client.get(reverse("board:project", args=[theirs.pk])).status_code == 200
    listing = client.get(reverse("board:projects"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Law and Order" in listing and "Territory Without Fraud" not in listing


def test_the_project_page_lists_the_directives_pointing_to_it(keeper, login):
    project = a_project(keeper)
    meeting = a_meeting(keeper)
    pointing = a_directive(keeper, meeting, "akt-prok-alga", "akt-prok-temir", project=project)
    a_directive(keeper, meeting, text_en="Another matter")
    page = login("regional_prosecutor").get(reverse("board:project", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert reverse("board:directive", args=[pointing.pk]) in text
    assert text.count("Directive no.") == 1
    assert "Prosecutor's Office of Alga District" in text or "Alga" in text
    # A district prosecutor reads their own office's execution only.
    alga = login("alga_prosecutor").get(reverse("board:project", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="en")
    executions = alga.context["directives"][0].executions
    assert [execution.organisation.code for execution in executions] == ["akt-prok-alga"]
    # A directive of the project not addressed to their office is not theirs to follow.
    temir_only = a_directive(keeper, meeting, "akt-prok-temir", project=project)
    alga = login("alga_prosecutor").get(reverse("board:project", args=[project.pk]))
    assert [directive.pk for directive in alga.context["directives"]] == [pointing.pk]
    regional = login("regional_prosecutor").get(reverse("board:project", args=[project.pk]))
    assert {directive.pk for directive in regional.context["directives"]} == {pointing.pk, temir_only.pk}


def _outreach(project, code: str, day: date, count: int) -> None:
    Outreach.objects.create(
        region_id=project.region_id,
        project=code,
        kind=Outreach.Kind.MEETINGS,
        count=count,
        day=day,
        organiser=organisations("akt-prok-alga")[0],
        recorded_at=noon(day),
    )


def test_the_project_page_shows_the_outreach_logged_under_its_code_and_its_metrics(keeper, login):
    project = a_project(keeper, started_on=date(2025, 1, 10), metric_codes=["outreach.meetings"])
    _outreach(project, "without_fraud", date(2025, 3, 4), 120)
    _outreach(project, "without_fraud", date(2025, 3, 20), 30)
    _outreach(project, "law_and_order", date(2025, 3, 5), 999)
    yesterday = timezone.localdate() - timedelta(days=1)
    _outreach(project, "without_fraud", yesterday, 7)
    _outreach(project, "law_and_order", yesterday, 5)
    page = login("analyst").get(reverse("board:project", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="en")
    # The outreach under the project's code, over the whole project.
    series = {item["code"]: item for item in page.context["outreach"]["series"]}
    assert list(series) == ["outreach.meetings"]
    by_month = {point["month"]: point["value"] for point in series["outreach.meetings"]["points"]}
    assert (by_month[date(2025, 3, 1)], by_month[yesterday.replace(day=1)]) == (150, 7)
    assert len(page.context["outreach"]["rows"]) == 3
    # The metrics it tracks are the summary's own figures, region-wide (every project's outreach),
    # over the latest twelve months.
    tracked = dict(page.context["series"]["rows"])
    assert page.context["series"]["metrics"] == ["Meetings with the population"]
    assert tracked[yesterday.replace(day=1)] == [12]
    assert len(tracked) <= 12 and date(2025, 3, 1) not in tracked
    assert "Meetings with the population" in page.content.decode()


def test_the_project_page_says_no_figures_yet_without_a_series_reader(keeper, login, monkeypatch):
    from lib import plugins

    monkeypatch.setattr(plugins, "_sole", lambda attribute: None)
    project = a_project(keeper, metric_codes=["outreach.meetings"])
    page = login("analyst").get(reverse("board:project", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "No figures yet." in page.content.decode()


def test_the_working_group_page_lists_its_meetings_members_and_projects(keeper, login):
    project = a_project(keeper)
    group = a_group(keeper, projects=[project])
    meeting = a_meeting(
        keeper,
        kind=Meeting.Kind.WORKING_GROUP,
        working_group=group,
        held_on=date(2025, 4, 15),
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
    )
    a_meeting(keeper, held_on=date(2025, 4, 16))
    page = login("board_secretary").get(reverse("board:working_group", args=[group.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert [row.pk for row in page.context["meetings"]] == [meeting.pk]
    text = page.content.decode()
    assert "Akimat" in text or organisations("akt-akimat-region")[0].name_en in text
    assert reverse("board:project", args=[project.pk]) in text


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_and_a_projects_page_keep_their_number_of_queries(keeper, login):
    project = a_project(keeper)
    meeting = a_meeting(keeper)
    a_directive(keeper, meeting, "akt-prok-alga", project=project)
    a_group(keeper, projects=[project])
    client = login("analyst")
    listing, page = reverse("board:projects"), reverse("board:project", args=[project.pk])
    before = (_queries(client, listing), _queries(client, page))
    for number in range(3):
        a_project(keeper, code=f"project_{number}", name_en=f"Project {number}")
        a_group(keeper, "akt-prok-region", "akt-education-region", projects=[project])
        a_directive(keeper, meeting, "akt-prok-alga", "akt-prok-temir", project=project)
    assert (_queries(client, listing), _queries(client, page)) == before


def test_the_menu_leads_the_boards_readers_to_the_projects(login):
    url = reverse("board:projects")
    assert url in login("alga_prosecutor").get(reverse("board:meetings")).content.decode()
    assert url not in login("citizen").get("/").content.decode()


def test_a_keeper_records_and_changes_a_working_group_on_its_forms(keeper, login):
    project = a_project(keeper)
    client = login("regional_prosecutor")
    form = {
        "name_ru": "Межведомственная рабочая группа",
        "lead": organisations("akt-prok-region")[0].pk,
        "members": [org.pk for org in organisations("akt-prok-region", "akt-akimat-region")],
        "projects": [project.pk],
        "created_on": "2025-02-01",
    }
    response = client.post(reverse("board:working_group_new"), form)
    group = project.working_groups.get()
    assert response.status_code == 302 and response.url == reverse("board:working_group", args=[group.pk])

    refused = client.post(
        reverse("board:working_group_edit", args=[group.pk]), {**form, "members": []}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 200 and "This field is required." in refused.content.decode()
    education = organisations("akt-education-region")[0]
    changed = client.post(
        reverse("board:working_group_edit", args=[group.pk]), {**form, "members": [*form["members"], education.pk]}
    )
    assert changed.status_code == 302
    page = client.get(reverse("board:working_group", args=[group.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"+ {education.name_en}" in page
