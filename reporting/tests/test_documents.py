"""The office's summaries (reporting.documents): a draft's figures live, approving freezes them with
their definitions' versions and the text, a published version never changes, the next is made from
it and what changed is shown figure by figure."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from reporting import documents
from reporting.models import Metric, SummaryVersion
from reporting.tests import facts
from reporting.tests.facts import ALGA, TEMIR, local

pytestmark = pytest.mark.django_db
RECEIVED = "fsm.reports.received"


def figure(reading, code=RECEIVED):
    return reading.summary.figure(code)


@pytest.fixture
def draft(persona):
    for day in (3, 4):
        facts.submit(local(2025, 3, day), kato=ALGA)
    return documents.start(
        persona("analyst"),
        title="Итоги 9 месяцев 2025 года",
        region=None,
        katos=[],
        start=date(2025, 1, 1),
        end=date(2025, 9, 30),
    )


def test_a_draft_follows_the_records_and_an_approved_version_keeps_its_figures_and_text(draft, persona):
    assert figure(documents.read(draft, "ru")).value == 2
    facts.submit(local(2025, 3, 5), kato=TEMIR)
    assert figure(documents.read(draft, "ru")).value == 3  # live
    approved = documents.approve(draft, persona("regional_prosecutor"))
    assert approved.state == SummaryVersion.State.APPROVED and approved.as_of == date(2025, 9, 30)
    stored = next(item for item in approved.figures["ru"] if item["code"] == RECEIVED)
    assert stored["value"] == 3 and stored["version"] == 1
    text = " ".join(" ".join(p.sentences) for p in documents.read(approved, "ru").paragraphs)
    assert "3 обращения" in text
    facts.submit(local(2025, 3, 6), kato=TEMIR)  # a correction recorded later
    published = documents.publish(approved, persona("board_secretary"))
    reading = documents.read(published, "ru")
    assert figure(reading).value == 3
    assert "3 обращения" in " ".join(" ".join(p.sentences) for p in reading.paragraphs)
    assert [piece for p in reading.paragraphs for s in p.linked for piece in s if piece[1] == RECEIVED]


def test_a_published_version_refuses_every_change_and_says_how_to_make_a_new_one(draft, persona):
    version = documents.publish(documents.approve(draft, persona("regional_prosecutor")), persona("board_secretary"))
    with pytest.raises(documents.Refused, match="Make a new version"):
        documents.save_text(version, persona("analyst"), "ru", "Новый текст.")
    with pytest.raises(documents.Refused):
        documents.approve(version, persona("regional_prosecutor"))
    with pytest.raises(documents.Refused):
        documents.send_back(version, persona("regional_prosecutor"))
    version.refresh_from_db()
    assert version.text_ru == "" and version.state == SummaryVersion.State.PUBLISHED


def test_a_new_version_is_made_from_the_published_one_and_shows_what_changed(draft, persona):
    analyst, approver = persona("analyst"), persona("regional_prosecutor")
    documents.save_text(
        draft, analyst, "ru", "# Итоги\nПоступило {fsm.reports.received|обращение}.\nРабота продолжается."
    )
    first = documents.publish(documents.approve(draft, approver), approver)
    second = documents.new_version(first, analyst)
    assert (second.number, second.state, second.made_from_id) == (2, SummaryVersion.State.DRAFT, first.pk)
    assert second.text_ru == first.text_ru
    with pytest.raises(documents.Refused, match="already has a version"):
        documents.new_version(first, analyst)
    facts.submit(local(2025, 4, 1), kato=TEMIR)
    changes = documents.differences(
        documents.read(first, "ru").summary.figures, documents.read(second, "ru").summary.figures
    )
    received = next(change for change in changes if change.code == RECEIVED)
    assert (received.before, received.after, received.change) == (2, 3, 1)
    assert all(change.before != change.after or change.before_version != change.after_version for change in changes)
    paragraphs = documents.read(second, "ru").paragraphs
    assert [p.title for p in paragraphs] == ["Итоги"]
    assert paragraphs[0].sentences == ["Поступило 3 обращения.", "Работа продолжается."]


def test_a_text_naming_no_metric_is_refused_with_its_line_and_the_text_kept(draft, persona):
    analyst = persona("analyst")
    documents.save_text(draft, analyst, "en", "Fine {fsm.reports.received|report/reports}.")
    with pytest.raises(documents.Refused, match="Line 2"):
        documents.save_text(draft, analyst, "en", "# Heading\nBroken {fsm.nothing}.")
    draft.refresh_from_db()
    assert draft.text_en == "Fine {fsm.reports.received|report/reports}."


def test_only_the_approvers_approve_and_only_the_editors_write(draft, persona):
    with pytest.raises(PermissionDenied):
        documents.approve(draft, persona("analyst"))
    with pytest.raises(PermissionDenied):
        documents.save_text(draft, persona("board_secretary"), "ru", "Текст.")
    own = documents.start(
        persona("alga_prosecutor"), title="Алга", region=None, katos=[], start=date(2025, 1, 1), end=date(2025, 3, 31)
    )
    assert list(own.summary.districts.values_list("kato", flat=True)) == [ALGA]  # the remit, not the region
    with pytest.raises(PermissionDenied):
        documents.start(
            persona("alga_prosecutor"),
            title="x",
            region=None,
            katos=[TEMIR],
            start=date(2025, 1, 1),
            end=date(2025, 3, 31),
        )
    assert figure(documents.read(own, "ru")).value == 2


def test_an_approved_version_goes_back_to_a_live_draft_before_it_is_published(draft, persona):
    approver = persona("board_secretary")
    approved = documents.approve(draft, approver)
    with pytest.raises(documents.Refused):
        documents.new_version(approved, persona("analyst"))
    back = documents.send_back(approved, approver)
    assert back.state == SummaryVersion.State.DRAFT and back.figures == {} and back.as_of is None


def test_a_frozen_version_names_its_figures_in_each_language_whoever_approved_it(draft, persona):
    with translation.override("ru"):
        approved = documents.approve(draft, persona("regional_prosecutor"))
    metric = Metric.objects.get(code=RECEIVED)
    for language in ("kk", "ru", "en"):
        assert figure(documents.read(approved, language)).name == getattr(metric, f"name_{language}")
    assert figure(documents.read(approved, "kk")).value == figure(documents.read(approved, "en")).value == 2


def test_a_new_version_is_made_from_the_latest_published_one_only(draft, persona):
    analyst, approver = persona("analyst"), persona("board_secretary")
    first = documents.publish(documents.approve(draft, approver), approver)
    second = documents.new_version(first, analyst)
    with pytest.raises(documents.Refused, match="draft can still be edited"):
        documents.new_version(second, analyst)
    documents.publish(documents.approve(second, approver), approver)
    with pytest.raises(documents.Refused, match="Version 2 is the latest published one"):
        documents.new_version(first, analyst)


def test_approval_refuses_a_text_whose_metric_was_retired_since(draft, persona):
    documents.save_text(draft, persona("analyst"), "ru", "Всего {fsm.reports.received|обращение}.")
    Metric.objects.filter(code=RECEIVED).update(retired_at=local(2025, 10, 1))
    with pytest.raises(documents.Refused, match="ru: Line 1"):
        documents.approve(draft, persona("regional_prosecutor"))
    draft.refresh_from_db()
    assert draft.state == SummaryVersion.State.DRAFT


def test_a_heading_keeps_its_paragraph_across_a_blank_line(draft, persona):
    text = "# Итоги\n\nВсего {fsm.reports.received|обращение}.\n\n\nКонец."
    documents.save_text(draft, persona("analyst"), "ru", text)
    paragraphs = documents.read(draft, "ru").paragraphs
    assert [(p.title, p.sentences) for p in paragraphs] == [("Итоги", ["Всего 2 обращения."]), ("", ["Конец."])]
