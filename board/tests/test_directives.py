"""The directive's flow through the board's services: issued per addressee, reported, accepted or
returned, overdue by the platform's lateness, reminded once, carried to the next meeting."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Notification
from board.models import DirectiveAddressee, DirectiveEvent, Meeting
from board.policy import executed_on_time, is_overdue
from board.services import Refused
from board.services.directives import (
    ProgressRow,
    execution_accept,
    execution_report,
    execution_report_many,
    execution_return,
)
from board.services.meetings import meeting_hold, meeting_report_add, resolution_issue
from board.services.reminders import directives_notice_overdue, directives_remind

from .board_factories import a_directive, a_meeting, organisations

Status = DirectiveAddressee.Status


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Asia/Aqtobe"))


@pytest.fixture
def keeper(persona):
    return persona("regional_prosecutor")


@pytest.fixture
def meeting(keeper):
    return a_meeting(keeper)


def test_it_follows_one_directive_per_addressee(keeper, meeting):
    directive = a_directive(keeper, meeting, "akt-prok-alga", "akt-prok-temir", "akt-police-alga")
    rows = directive.addressees.order_by("organisation__code")
    assert [row.organisation.code for row in rows] == ["akt-police-alga", "akt-prok-alga", "akt-prok-temir"]
    assert {row.status for row in rows} == {Status.ISSUED}
    # Due at the end of the deadline day in the region's zone.
    assert rows[0].deadline_at == at(date(2025, 12, 1), 0).replace(hour=23, minute=59, second=59)
    assert directive.events.get().kind == DirectiveEvent.Kind.ISSUED


@pytest.mark.parametrize(
    "change, message",
    [
        ({"addressees": []}, "at least one addressee"),
        ({"deadline": date(2025, 10, 15)}, "cannot be before the meeting's date"),
        ({"text_en": ""}, "at least one language"),
        (
            {"metric_codes": ["crime.registered", "no.such.metric"]},
            "No metric of the catalogue has the code no.such.metric",
        ),
    ],
)
def test_it_refuses_a_directive_with_a_clear_message(keeper, meeting, change, message):
    from board.services.directives import directive_issue
    from lib.metrics import Area

    arguments = {
        "actor": keeper,
        "meeting": meeting,
        "area": Area.FRAUD,
        "deadline": date(2025, 12, 1),
        "addressees": organisations("akt-prok-alga"),
        "controller": keeper,
        "text_en": "Strengthen the measures against fraud",
    }
    with pytest.raises(Refused) as refused:
        directive_issue(**{**arguments, **change})
    assert any(message in text for text in refused.value.messages)
    assert not meeting.directives.exists()


def test_only_the_board_keepers_issue(persona, meeting):
    with pytest.raises(PermissionDenied):
        a_directive(persona("alga_prosecutor"), meeting)
    with pytest.raises(PermissionDenied):
        a_directive(persona("analyst"), meeting)


def test_the_addressee_reports_and_the_controller_accepts_on_time(persona, keeper, meeting):
    directive = a_directive(keeper, meeting, "akt-prok-alga")
    execution = directive.addressees.get()
    alga = persona("alga_prosecutor")
    execution_report(actor=alga, addressee=execution, text="Ten meetings held", now=at(date(2025, 11, 1)))
    execution.refresh_from_db()
    assert execution.status == Status.IN_PROGRESS
    execution_report(actor=alga, addressee=execution, text="Done", final=True, now=at(date(2025, 11, 28)))
    # Accepted after the deadline: executed when it was reported, so on time.
    execution_accept(actor=keeper, addressee=execution, now=at(date(2025, 12, 3)))
    execution.refresh_from_db()
    assert execution.status == Status.EXECUTED
    assert executed_on_time(execution)
    assert not is_overdue(execution, at(date(2025, 12, 3)))
    kinds = list(directive.events.values_list("kind", flat=True))
    assert kinds == ["issued", "progress", "reported", "accepted"]


def test_a_returned_execution_goes_back_with_its_comment(persona, keeper, meeting):
    execution = a_directive(keeper, meeting).addressees.get()
    alga = persona("alga_prosecutor")
    execution_report(actor=alga, addressee=execution, text="Done", final=True)
    with pytest.raises(Refused):
        execution_return(actor=keeper, addressee=execution, comment="")
    execution_return(actor=keeper, addressee=execution, comment="Attach the list of meetings")
    execution.refresh_from_db()
    assert (execution.status, execution.comment) == (Status.RETURNED, "Attach the list of meetings")
    with pytest.raises(Refused):
        execution_accept(actor=keeper, addressee=execution)  # only a reported execution is decided
    execution_report(actor=alga, addressee=execution, text="The list attached", final=True)
    execution.refresh_from_db()
    assert execution.status == Status.REPORTED


def test_another_office_may_not_report(persona, keeper, meeting):
    execution = a_directive(keeper, meeting, "akt-prok-alga").addressees.get()
    for other in ("temir_prosecutor", "alga_officer", "analyst"):
        with pytest.raises(PermissionDenied):
            execution_report(actor=persona(other), addressee=execution, text="Done")
    with pytest.raises(PermissionDenied):
        execution_report_many(actor=persona("temir_prosecutor"), rows=[ProgressRow(execution.pk, "Done")])
    assert not execution.reports.exists()


def test_the_addressee_may_not_accept_its_own_report(persona, keeper, meeting):
    execution = a_directive(keeper, meeting).addressees.get()
    alga = persona("alga_prosecutor")
    execution_report(actor=alga, addressee=execution, text="Done", final=True)
    with pytest.raises(PermissionDenied):
        execution_accept(actor=alga, addressee=execution)


def test_it_is_overdue_past_the_end_of_the_deadline_day(keeper, meeting):
    execution = a_directive(keeper, meeting, deadline=date(2025, 12, 1)).addressees.get()
    assert not is_overdue(execution, at(date(2025, 12, 1), 23))
    assert is_overdue(execution, at(date(2025, 12, 2), 0))


def test_many_reports_at_once_are_all_or_none(persona, keeper, meeting):
    first = a_directive(keeper, meeting).addressees.get()
    second = a_directive(keeper, meeting).addressees.get()
    alga = persona("alga_prosecutor")
    too_long = "x" * 5000
    with pytest.raises(Refused) as refused:
        execution_report_many(
            actor=alga,
            rows=[ProgressRow(first.pk, "Done", final=True, line=2), ProgressRow(second.pk, too_long, line=3)],
        )
    assert refused.value.messages[0].startswith("Row 3:")
    assert not first.reports.exists()
    written = execution_report_many(
        actor=alga, rows=[ProgressRow(first.pk, "Done", final=True), ProgressRow(second.pk, "")]
    )
    assert written == 1
    first.refresh_from_db()
    assert first.status == Status.REPORTED


def test_evidence_files_are_checked_and_photos_lose_their_metadata(persona, keeper, meeting, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    execution = a_directive(keeper, meeting).addressees.get()
    alga = persona("alga_prosecutor")
    photo = BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"
    exif.get_ifd(0x8825)[2] = (50.0, 17.0, 0.0)  # GPSLatitude: where it was taken
    Image.new("RGB", (40, 30), "red").save(photo, format="JPEG", exif=exif.tobytes())
    with Image.open(BytesIO(photo.getvalue())) as sent:
        assert sent.getexif()[0x010F] == "Phone maker"
    pdf = SimpleUploadedFile("act.pdf", b"%PDF-1.4\n%test\n")
    report = execution_report(
        actor=alga,
        addressee=execution,
        text="Done",
        files=[pdf, SimpleUploadedFile("photo.jpg", photo.getvalue())],
    )
    names = sorted(report.evidence.values_list("name", flat=True))
    assert names == ["act.pdf", "photo.jpg"]
    kept = report.evidence.get(name="photo.jpg")
    with Image.open(kept.file.path) as image:
        assert not image.getexif()
    settings.BOARD_FILE_MAX_BYTES = 10
    with pytest.raises(Refused) as refused:
        execution_report(
            actor=alga, addressee=execution, text="More", files=[SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 20)]
        )
    assert "too large" in refused.value.messages[0]
    settings.BOARD_FILE_MAX_BYTES = 10_000
    with pytest.raises(Refused) as refused:
        execution_report(
            actor=alga, addressee=execution, text="More", files=[SimpleUploadedFile("run.exe", b"MZ\x90\x00")]
        )
    assert "not a PDF" in refused.value.messages[0]
    assert execution.reports.count() == 1


def test_reminders_are_sent_once_before_the_deadline_and_once_when_overdue(persona, keeper, meeting, settings):
    settings.BOARD_REMINDER_WORKING_DAYS = 3
    alga = persona("alga_prosecutor")
    directive = a_directive(keeper, meeting, "akt-prok-alga", deadline=date(2025, 12, 1))  # a Monday
    # Three working days before Monday 1 December: Wednesday 26 November.
    assert directives_remind(at(date(2025, 11, 25))) == 0
    assert directives_remind(at(date(2025, 11, 26))) == 1
    assert directives_remind(at(date(2025, 11, 27))) == 0  # run again: nothing sent twice
    assert Notification.objects.filter(user=alga).count() == 1
    assert directives_notice_overdue(at(date(2025, 12, 1), 23)) == 0
    assert directives_notice_overdue(at(date(2025, 12, 2))) == 1
    assert directives_notice_overdue(at(date(2025, 12, 3))) == 0
    assert Notification.objects.filter(user=alga).count() == 2
    assert Notification.objects.filter(user=keeper).count() == 1  # the controller hears of it overdue
    kinds = list(directive.events.values_list("kind", flat=True))
    assert kinds == ["issued", "reminded", "overdue"]


def test_unexecuted_directives_are_carried_to_the_next_meeting(persona, keeper, meeting):
    done = a_directive(keeper, meeting, "akt-prok-alga")
    open_one = a_directive(keeper, meeting, "akt-prok-alga", "akt-prok-temir")
    alga = persona("alga_prosecutor")
    for directive in (done, open_one):
        execution = directive.addressees.get(organisation__code="akt-prok-alga")
        execution_report(actor=alga, addressee=execution, text="Done", final=True)
        execution_accept(actor=keeper, addressee=execution)
    # Temir has not executed the second one: it is carried.
    later = a_meeting(keeper, held_on=date(2025, 12, 27), period_end=date(2025, 12, 31))
    meeting_hold(actor=keeper, meeting=later)
    assert list(later.carried_directives.all()) == [open_one]
    assert open_one.events.filter(kind=DirectiveEvent.Kind.CARRIED).count() == 1
    with pytest.raises(Refused):
        meeting_hold(actor=keeper, meeting=later)


def test_the_resolution_is_numbered_per_year_and_needs_directives(keeper, meeting):
    with pytest.raises(Refused) as refused:
        resolution_issue(actor=keeper, meeting=meeting)
    assert "no directives" in refused.value.messages[0]
    a_directive(keeper, meeting)
    assert resolution_issue(actor=keeper, meeting=meeting).resolution_number == 1
    later = a_meeting(keeper, held_on=date(2025, 12, 27))
    a_directive(keeper, later, deadline=date(2026, 3, 1))
    assert resolution_issue(actor=keeper, meeting=later).resolution_number == 2
    next_year = a_meeting(keeper, held_on=date(2026, 4, 10))
    a_directive(keeper, next_year, deadline=date(2026, 6, 1))
    assert resolution_issue(actor=keeper, meeting=next_year).resolution_number == 1


def test_a_meeting_report_file_is_size_capped(keeper, meeting, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.BOARD_FILE_MAX_BYTES = 100
    with pytest.raises(Refused) as refused:
        meeting_report_add(
            actor=keeper,
            meeting=meeting,
            speaker="Deputy",
            topic="Fraud",
            upload=SimpleUploadedFile("report.pdf", b"%PDF-" + b"0" * 200),
        )
    assert "too large" in refused.value.messages[0]
    assert not meeting.reports.exists()
    report = meeting_report_add(
        actor=keeper, meeting=meeting, speaker="Deputy", topic="Fraud", upload=SimpleUploadedFile("r.pdf", b"%PDF-1")
    )
    assert report.file_name == "r.pdf"


def test_what_each_persona_reads(persona, keeper, meeting):
    a_directive(keeper, meeting, "akt-prok-alga")
    a_directive(keeper, meeting, "akt-prok-temir")
    a_directive(keeper, meeting, "akt-police-alga")
    read = {
        name: sorted(DirectiveAddressee.objects.for_user(persona(name)).values_list("organisation__code", flat=True))
        for name in ("alga_prosecutor", "temir_prosecutor", "alga_officer", "analyst", "citizen", "bank_partner")
    }
    assert read["alga_prosecutor"] == ["akt-prok-alga"]
    assert read["temir_prosecutor"] == ["akt-prok-temir"]
    assert read["alga_officer"] == ["akt-police-alga"]
    assert read["analyst"] == ["akt-police-alga", "akt-prok-alga", "akt-prok-temir"]
    assert read["citizen"] == read["bank_partner"] == []
    assert Meeting.objects.for_user(persona("alga_officer")).count() == 1
    assert Meeting.objects.for_user(persona("citizen")).count() == 0
