"""The office's summaries (reporting.services, reporting.selectors): a draft's figures live, approving freezes them with
their definitions' versions and the text, a published version never changes, the next is made from
it and what changed is shown figure by figure."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from reporting import selectors, services
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
    return services.summary_start(
        actor=persona("analyst"),
        title="Итоги 9 месяцев 2025 года",
        region=None,
        katos=[],
        start=date(2025, 1, 1),
        end=date(2025, 9, 30),
    )


def test_a_draft_follows_the_records_and_an_approved_version_keeps_its_figures_and_text(draft, persona):
    assert figure(selectors.read(draft, "ru")).value == 2
    facts.submit(local(2025, 3, 5), kato=TEMIR)
    assert figure(selectors.read(draft, "ru")).value == 3  # live
    approved = services.summary_approve(version=draft, actor=persona("regional_prosecutor"))
    assert approved.state == SummaryVersion.State.APPROVED and approved.as_of == date(2025, 9, 30)
    stored = next(item for item in approved.figures["ru"] if item["code"] == RECEIVED)
    assert stored["value"] == 3 and stored["version"] == 1
    text = " ".join(" ".join(p.sentences) for p in selectors.read(approved, "ru").paragraphs)
    assert "3 обращения" in text
    facts.submit(local(2025, 3, 6), kato=TEMIR)  # a correction recorded later
    published = services.summary_publish(version=approved, actor=persona("board_secretary"))
    reading = selectors.read(published, "ru")
    assert figure(reading).value == 3
    assert "3 обращения" in " ".join(" ".join(p.sentences) for p in reading.paragraphs)
    assert [piece for p in reading.paragraphs for s in p.linked for piece in s if piece[1] == RECEIVED]


def test_a_published_version_refuses_every_change_and_says_how_to_make_a_new_one(draft, persona):
    version = services.summary_publish(
        version=services.summary_approve(version=draft, actor=persona("regional_prosecutor")),
        actor=persona("board_secretary"),
    )
    with pytest.raises(services.Refused, match="Make a new version"):
        services.summary_text_save(version=version, actor=persona("analyst"), language="ru", text="Новый текст.")
    with pytest.raises(services.Refused):
        services.summary_approve(version=version, actor=persona("regional_prosecutor"))
    with pytest.raises(services.Refused):
        services.summary_send_back(version=version, actor=persona("regional_prosecutor"))
    version.refresh_from_db()
    assert version.text_ru == "" and version.state == SummaryVersion.State.PUBLISHED


def test_a_new_version_is_made_from_the_published_one_and_shows_what_changed(draft, persona):
    analyst, approver = persona("analyst"), persona("regional_prosecutor")
    services.summary_text_save(
        version=draft,
        actor=analyst,
        language="ru",
        text="# Итоги\nПоступило {fsm.reports.received|обращение}.\nРабота продолжается.",
    )
    first = services.summary_publish(version=services.summary_approve(version=draft, actor=approver), actor=approver)
    second = services.summary_new_version(version=first, actor=analyst)
    assert (second.number, second.state, second.made_from_id) == (2, SummaryVersion.State.DRAFT, first.pk)
    assert second.text_ru == first.text_ru
    with pytest.raises(services.Refused, match="already has a version"):
        services.summary_new_version(version=first, actor=analyst)
    facts.submit(local(2025, 4, 1), kato=TEMIR)
    changes = selectors.differences(
        selectors.read(first, "ru").summary.figures, selectors.read(second, "ru").summary.figures
    )
    received = next(change for change in changes if change.code == RECEIVED)
    assert (received.before, received.after, received.change) == (2, 3, 1)
    assert all(change.before != change.after or change.before_version != change.after_version for change in changes)
    paragraphs = selectors.read(second, "ru").paragraphs
    assert [p.title for p in paragraphs] == ["Итоги"]
    assert paragraphs[0].sentences == ["Поступило 3 обращения.", "Работа продолжается."]


def test_a_text_naming_no_metric_is_refused_with_its_line_and_the_text_kept(draft, persona):
    analyst = persona("analyst")
    services.summary_text_save(
        version=draft, actor=analyst, language="en", text="Fine {fsm.reports.received|report/reports}."
    )
    with pytest.raises(services.Refused, match="Line 2"):
        services.summary_text_save(version=draft, actor=analyst, language="en", text="# Heading\nBroken {fsm.nothing}.")
    draft.refresh_from_db()
    assert draft.text_en == "Fine {fsm.reports.received|report/reports}."


def test_only_the_approvers_approve_and_only_the_editors_write(draft, persona):
    with pytest.raises(PermissionDenied):
        services.summary_approve(version=draft, actor=persona("analyst"))
    with pytest.raises(PermissionDenied):
        services.summary_text_save(version=draft, actor=persona("board_secretary"), language="ru", text="Текст.")
    own = services.summary_start(
        actor=persona("alga_prosecutor"),
        title="Алга",
        region=None,
        katos=[],
        start=date(2025, 1, 1),
        end=date(2025, 3, 31),
    )
    assert list(own.summary.districts.values_list("kato", flat=True)) == [ALGA]  # the remit, not the region
    with pytest.raises(PermissionDenied):
        services.summary_start(
            actor=persona("alga_prosecutor"),
            title="x",
            region=None,
            katos=[TEMIR],
            start=date(2025, 1, 1),
            end=date(2025, 3, 31),
        )
    assert figure(selectors.read(own, "ru")).value == 2


def test_an_approved_version_goes_back_to_a_live_draft_before_it_is_published(draft, persona):
    approver = persona("board_secretary")
    approved = services.summary_approve(version=draft, actor=approver)
    with pytest.raises(services.Refused):
        services.summary_new_version(version=approved, actor=persona("analyst"))
    back = services.summary_send_back(version=approved, actor=approver)
    assert back.state == SummaryVersion.State.DRAFT and back.figures == {} and back.as_of is None


def test_a_frozen_version_names_its_figures_in_each_language_whoever_approved_it(draft, persona):
    with translation.override("ru"):
        approved = services.summary_approve(version=draft, actor=persona("regional_prosecutor"))
    metric = Metric.objects.get(code=RECEIVED)
    for language in ("kk", "ru", "en"):
        assert figure(selectors.read(approved, language)).name == getattr(metric, f"name_{language}")
    assert figure(selectors.read(approved, "kk")).value == figure(selectors.read(approved, "en")).value == 2


def test_a_new_version_is_made_from_the_latest_published_one_only(draft, persona):
    analyst, approver = persona("analyst"), persona("board_secretary")
    first = services.summary_publish(version=services.summary_approve(version=draft, actor=approver), actor=approver)
    second = services.summary_new_version(version=first, actor=analyst)
    with pytest.raises(services.Refused, match="draft can still be edited"):
        services.summary_new_version(version=second, actor=analyst)
    services.summary_publish(version=services.summary_approve(version=second, actor=approver), actor=approver)
    with pytest.raises(services.Refused, match="Version 2 is the latest published one"):
        services.summary_new_version(version=first, actor=analyst)


def test_approval_refuses_a_text_whose_metric_was_retired_since(draft, persona):
    services.summary_text_save(
        version=draft, actor=persona("analyst"), language="ru", text="Всего {fsm.reports.received|обращение}."
    )
    Metric.objects.filter(code=RECEIVED).update(retired_at=local(2025, 10, 1))
    with pytest.raises(services.Refused, match="ru: Line 1"):
        services.summary_approve(version=draft, actor=persona("regional_prosecutor"))
    draft.refresh_from_db()
    assert draft.state == SummaryVersion.State.DRAFT


def test_a_heading_keeps_its_paragraph_across_a_blank_line(draft, persona):
    text = "# Итоги\n\nВсего {fsm.reports.received|обращение}.\n\n\nКонец."
    services.summary_text_save(version=draft, actor=persona("analyst"), language="ru", text=text)
    paragraphs = selectors.read(draft, "ru").paragraphs
    assert [(p.title, p.sentences) for p in paragraphs] == [("Итоги", ["Всего 2 обращения."]), ("", ["Конец."])]


def test_each_step_of_a_version_is_an_event_with_its_actor(draft, persona):
    analyst, approver = persona("analyst"), persona("board_secretary")
    services.summary_text_save(version=draft, actor=analyst, language="kk", text="Барлығы {fsm.reports.received}.")
    approved = services.summary_approve(version=draft, actor=approver)
    services.summary_send_back(version=approved, actor=approver)
    services.summary_publish(version=services.summary_approve(version=draft, actor=approver), actor=approver)
    steps = [(event.kind, event.actor.username, event.data) for event in draft.events.order_by("id")]
    assert steps == [
        ("created", "analyst", {}),
        ("text_saved", "analyst", {"language": "kk"}),
        ("approved", "board_secretary", {}),
        ("sent_back", "board_secretary", {}),
        ("approved", "board_secretary", {}),
        ("published", "board_secretary", {}),
    ]
