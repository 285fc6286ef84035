"""Highlights for publication (issue 17, point 6): numbers bound to the record, never typed;
publication refused on personal data (an IIN, a phone, a minor's name); who may write, approve and
read them on every page; the results summary quoting its period's approved ones in their area."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from lib.metrics import Area
from reporting import selectors
from reporting import services as reporting_services
from reporting.figures import Request, compute, quotes
from reporting.sentences import narrative
from supervision import highlights as rules
from supervision.models import ActAmount, CriminalCase, Highlight, HighlightEvent
from supervision.services import (
    highlight_approve,
    highlight_change,
    highlight_publish,
    highlight_withdraw,
)
from supervision.services.highlights import Refused

from . import record_factories as make
from .factories import ALGA, TEMIR

pytestmark = pytest.mark.django_db
Status = Highlight.Status


@pytest.fixture
def alga(persona):
    return persona("alga_prosecutor")


@pytest.fixture
def adult_case(db):
    return make.case()


@pytest.fixture
def minor_case(db):
    return make.case(against_minor=True, article="99", damage=Decimal(0), recovered=Decimal(0))


def plain(text: str) -> str:
    """Spaces as a test writes them (the numbers' no-break and narrow spaces as plain ones)."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def refused_messages(error) -> str:
    return " ".join(error.value.messages)


# --- bound placeholders --------------------------------------------------------------------------


def test_it_fills_the_placeholders_from_the_record_as_it_is_now(alga, adult_case):
    highlight = make.highlight(alga, adult_case)
    assert plain(rules.rendered(highlight, "ru")) == "Осуждено 3 лиц, ущерб 6 млрд тенге, возмещено 1,5 млрд тенге."
    assert plain(rules.rendered(highlight, "en")) == "3 persons convicted; damage 6 billion tenge."
    assert "6 млрд теңге" in plain(rules.rendered(highlight, "kk"))
    CriminalCase.objects.filter(pk=adult_case.pk).update(convicted=4, damage=Decimal("7900000000"))
    highlight.refresh_from_db()
    assert plain(rules.rendered(highlight, "ru")).startswith("Осуждено 4 лиц, ущерб 7,9 млрд тенге")


def test_it_offers_each_record_its_own_numbers(alga, adult_case):
    act = make.act(alga, violations=1043, citizens=7212, officials_disciplined=2, officials_criminal=1, orphans=0)
    make.amount(act, ActAmount.Heading.DAMAGE, "5000000000")
    make.amount(act, ActAmount.Heading.FINES, "2900000000")
    make.amount(act, ActAmount.Heading.RECOVERED, "1200000000")
    values = {name: plain(value) for name, _label, value in rules.bound_values(act, "ru")}
    assert values["{violations}"] == "1 043" and values["{citizens}"] == "7 212"
    assert values["{officials}"] == "3"
    assert values["{assessed}"] == "7,9 млрд тенге" and values["{recovered}"] == "1,2 млрд тенге"
    assert values["{reimbursed}"] == "0 тенге"
    facility = make.facility(source_case=adult_case)
    assert plain(rules.render("{percent_done} · {amount}", facility, "ru")) == "45 % · 45 млн тенге"
    project = make.project()
    assert plain(rules.render("{amount}, {problems_solved}", project, "en")) == "12.5 billion tenge, 4"
    case_values = {name: value for name, _label, value in rules.bound_values(adult_case, "en")}
    assert case_values["{article}"] == "190-4" and case_values["{registered_on}"] == "March 14, 2025"


def test_it_refuses_a_typed_number_and_names_the_placeholders_on_offer(alga, adult_case):
    with pytest.raises(Refused) as error:
        make.highlight(alga, adult_case, text_ru="Осуждено 3 лиц, ущерб {damage}.")
    message = refused_messages(error)
    assert "Russian" in message and "“3”" in message and "{convicted}" in message and "{seized_kg}" in message
    with pytest.raises(Refused):  # any script's digits
        make.highlight(alga, adult_case, text_en="Convicted: ٣ persons, {damage}.")
    assert not Highlight.objects.exists()


def test_it_refuses_a_placeholder_the_record_does_not_offer(alga, adult_case):
    with pytest.raises(Refused) as error:
        make.highlight(alga, adult_case, text_kk="Жәбірленушілер {victims}.", text_en="{violations} violations")
    message = refused_messages(error)
    assert "{victims}" in message and "{violations}" in message and "{damage}" in message
    with pytest.raises(Refused) as error:
        make.highlight(alga, adult_case, text_ru="Ущерб {damage.")
    assert "brace" in refused_messages(error)
    with pytest.raises(Refused) as error:
        make.highlight(alga, adult_case, text_en=" ")
    assert "English text is missing" in refused_messages(error)


def test_each_language_may_use_any_of_the_placeholders(alga, adult_case):
    highlight = make.highlight(
        alga,
        adult_case,
        text_kk="Іс сотқа жетті.",
        text_ru="Ущерб {damage}.",
        text_en="{charged} charged, {in_custody} held.",
    )
    assert rules.rendered(highlight, "kk") == "Іс сотқа жетті."
    assert plain(rules.rendered(highlight, "en")) == "3 charged, 2 held."


# --- personal data at publication ------------------------------------------------------------------


def test_an_iin_is_refused_at_publication_and_kept_masked_in_the_refusal(alga, adult_case):
    highlight = make.highlight(alga, adult_case)
    # Written around the service (the admin, an import): publication checks again.
    Highlight.objects.filter(pk=highlight.pk).update(text_ru="Осуждён гражданин ИИН 900101 300123, ущерб {damage}.")
    with pytest.raises(Refused) as error:
        highlight_approve(actor=alga, highlight=highlight)
    assert "IIN" in refused_messages(error) and "Russian" in refused_messages(error)
    highlight.refresh_from_db()
    assert highlight.status == Status.DRAFT and highlight.approved_at is None
    refusal = highlight.events.get(kind=HighlightEvent.Kind.REFUSED)
    assert "IIN" in refusal.data["reasons"][0] and "300123" not in str(refusal.data)


def test_a_typed_iin_or_phone_never_reaches_a_draft(alga, adult_case):
    for text in ("ИИН 900101300123, ущерб {damage}.", "Звоните 8 705 123 4567."):
        with pytest.raises(Refused):
            make.highlight(alga, adult_case, text_ru=text)


def test_a_phone_number_is_refused_at_publication(alga, adult_case):
    highlight = make.highlight(alga, adult_case)
    Highlight.objects.filter(pk=highlight.pk).update(text_kk="Ақпарат: +7 (777) 123-45-67.")
    with pytest.raises(Refused) as error:
        highlight_approve(actor=alga, highlight=highlight)
    assert "phone" in refused_messages(error) and "Kazakh" in refused_messages(error)


@pytest.mark.parametrize(
    "text",
    [
        "Потерпевшая Айгерим пострадала, ущерб не возмещён.",
        "Обвиняемый Нурланов задержан.",
        "Подросток Сергеев А.Б. задержан.",
        "Подростка А. Б. Жумабаева задержали.",
        "Потерпевший Ерлан Серікұлы госпитализирован.",
        "Мать подростка, Петровна, обратилась в прокуратуру.",
    ],
)
def test_a_name_on_a_minors_case_is_refused(alga, minor_case, text):
    highlight = make.highlight(alga, minor_case, text_ru=text)
    with pytest.raises(Refused) as error:
        highlight_approve(actor=alga, highlight=highlight)
    assert "seems to name a person" in refused_messages(error) and "minor" in refused_messages(error)
    assert highlight.events.filter(kind=HighlightEvent.Kind.REFUSED).count() == 1


def test_a_minors_case_without_a_name_is_published_and_places_are_not_names(alga, minor_case):
    highlight = make.highlight(
        alga,
        minor_case,
        text_kk="Байғанин ауданында кәмелетке толмағанға қатысты іс сотқа жетті.",
        text_ru="В Байганинском районе и в городе Актобе дело об убийстве несовершеннолетних доведено до приговора.",
        text_en="In the Baiganin District the case of the murder of minors reached a verdict.",
    )
    approved = highlight_approve(actor=alga, highlight=highlight)
    assert approved.status == Status.APPROVED


def test_an_act_of_the_childrens_area_or_with_orphans_concerns_a_minor(alga):
    assert rules.concerns_minor(make.act(alga, area=Area.CHILDREN))
    assert rules.concerns_minor(make.act(alga, orphans=45))
    assert not rules.concerns_minor(make.act(alga, area=Area.BUDGET))


def test_a_name_on_an_adult_case_is_allowed_and_only_warned(alga, adult_case):
    texts = {"ru": "Бывший аким Иванов И.И. осуждён, ущерб {damage}.", "kk": "Іс.", "en": "Case."}
    assert rules.name_warnings(texts, region_id=adult_case.region_id)
    highlight = make.highlight(alga, adult_case, text_ru=texts["ru"])
    assert highlight_approve(actor=alga, highlight=highlight).status == Status.APPROVED


# --- the workflow ------------------------------------------------------------------------------


def test_an_approved_highlight_is_withdrawn_before_it_changes(alga, adult_case):
    highlight = make.highlight(alga, adult_case)
    highlight_approve(actor=alga, highlight=highlight)
    with pytest.raises(Refused):
        highlight_change(actor=alga, highlight=highlight, text_en="{convicted} convicted.")
    highlight_withdraw(actor=alga, highlight=highlight, reason="Уточнить текст")
    changed = highlight_change(actor=alga, highlight=highlight, text_en="{convicted} convicted.")
    assert changed.status == Status.DRAFT and changed.text_en == "{convicted} convicted."
    kinds = list(highlight.events.values_list("kind", flat=True))
    assert kinds == ["written", "approved", "withdrawn", "changed"]


def test_who_writes_and_who_approves(persona, adult_case):
    alga, temir = persona("alga_prosecutor"), persona("temir_prosecutor")
    with pytest.raises(PermissionDenied):
        make.highlight(temir, adult_case)  # another district's case
    for name in ("analyst", "board_secretary", "alga_officer", "citizen", "bank_partner"):
        with pytest.raises(PermissionDenied):
            make.highlight(persona(name), adult_case)
    highlight = make.highlight(persona("department_prosecutor"), adult_case)
    for name in ("temir_prosecutor", "analyst", "board_secretary"):
        with pytest.raises(PermissionDenied):
            highlight_approve(actor=persona(name), highlight=highlight)
    assert highlight_approve(actor=persona("regional_prosecutor"), highlight=highlight).status == Status.APPROVED
    with pytest.raises(PermissionDenied):
        highlight_withdraw(actor=temir, highlight=highlight)
    assert highlight_withdraw(actor=alga, highlight=highlight).status == Status.WITHDRAWN


def test_the_demo_publishes_in_one_step(alga, adult_case):
    moment = timezone.make_aware(datetime(2025, 10, 10, 12))
    highlight = highlight_publish(
        actor=alga,
        record=adult_case,
        on=date(2025, 9, 30),
        now=moment,
        **{**make.TEXTS, "text_en": "Tu-Kha: {damage}."},
    )
    assert highlight.status == Status.APPROVED and highlight.approved_at == moment
    with pytest.raises(Refused):
        highlight_publish(
            actor=alga,
            record=make.case(by_minor=True),
            on=date(2025, 9, 30),
            **{**make.TEXTS, "text_ru": "Подросток Сергеев."},
        )
    assert Highlight.objects.count() == 1


# --- the pages, for every persona -------------------------------------------------------------------

READERS = (
    "alga_prosecutor",
    "temir_prosecutor",
    "department_prosecutor",
    "analyst",
    "regional_prosecutor",
    "board_secretary",
    "administrator",
)
NOBODY = ("citizen", "alga_officer", "bank_partner")


@pytest.fixture
def written(alga, adult_case):
    return make.highlight(alga, adult_case)


def test_the_list_is_scoped_and_closed_to_citizens_bodies_and_partners(login, written):
    for name in READERS:
        response = login(name).get(reverse("supervision:highlights"))
        assert response.status_code == 200, name
        assert (reverse("supervision:highlight", args=[written.pk]) in response.content.decode()) == (
            name != "temir_prosecutor"
        ), name
    for name in NOBODY:
        assert login(name).get(reverse("supervision:highlights")).status_code == 403, name
    filtered = login("analyst").get(reverse("supervision:highlights"), {"status": "approved"})
    assert reverse("supervision:highlight", args=[written.pk]) not in filtered.content.decode()


def test_the_detail_answers_404_outside_the_scope_and_403_to_outsiders(login, written):
    url = reverse("supervision:highlight", args=[written.pk])
    for name in READERS:
        expected = 404 if name == "temir_prosecutor" else 200
        assert login(name).get(url).status_code == expected, name
    for name in NOBODY:
        assert login(name).get(url).status_code == 403, name
    page = plain(login("alga_prosecutor").get(url).content.decode())
    assert "6 млрд тенге" in page and "6 billion tenge" in page


def test_writes_outside_the_scope_answer_403(login, written, adult_case):
    new = reverse("supervision:highlight_new") + f"?case={adult_case.pk}"
    change = reverse("supervision:highlight_change", args=[written.pk])
    approve = reverse("supervision:highlight_approve", args=[written.pk])
    withdraw = reverse("supervision:highlight_withdraw", args=[written.pk])
    preview = reverse("supervision:highlight_preview")
    for name in ("temir_prosecutor", *NOBODY):
        client = login(name)
        assert client.get(new).status_code == 403, name
        assert client.post(new, {}).status_code == 403, name
        assert client.post(change, {}).status_code == 403, name
        assert client.post(approve).status_code == 403, name
        assert client.post(withdraw).status_code == 403, name
        assert client.post(preview, {"case": adult_case.pk}).status_code == 403, name
    for name in ("analyst", "board_secretary"):  # they read; they neither write nor approve
        client = login(name)
        assert client.get(new).status_code == 403, name
        assert client.post(approve).status_code == 403, name
        assert client.post(change, {}).status_code == 403, name
    written.refresh_from_db()
    assert written.status == Status.DRAFT


def test_a_prosecutor_writes_previews_and_approves_through_the_pages(login, adult_case):
    client = login("alga_prosecutor")
    new = reverse("supervision:highlight_new") + f"?case={adult_case.pk}"
    page = client.get(new).content.decode()
    assert "{damage}" in page and "{seized_kg}" in page
    data = {"area": Area.CRIME, "on": "2025-06-30", **make.TEXTS}
    preview = client.post(
        reverse("supervision:highlight_preview"), {**data, "case": adult_case.pk}, HTTP_HX_REQUEST="true"
    )
    assert "6 млрд" in plain(preview.content.decode()) and "6 billion" in plain(preview.content.decode())
    typed = client.post(
        reverse("supervision:highlight_preview"), {**data, "text_ru": "3 осуждённых", "case": adult_case.pk}
    )
    assert "{convicted}" in typed.content.decode()
    refused = client.post(new, {**data, "text_ru": "Осуждено 3 лиц."})
    assert refused.status_code == 200 and not Highlight.objects.exists()
    response = client.post(new, data)
    highlight = Highlight.objects.get()
    assert response.status_code == 302 and highlight.case == adult_case and highlight.status == Status.DRAFT
    client.post(reverse("supervision:highlight_approve", args=[highlight.pk]))
    highlight.refresh_from_db()
    assert highlight.status == Status.APPROVED


def test_the_detail_shows_why_publication_was_refused(login, alga, minor_case):
    highlight = make.highlight(alga, minor_case, text_ru="Потерпевшая Айгерим.")
    client = login("alga_prosecutor")
    client.post(reverse("supervision:highlight_approve", args=[highlight.pk]))
    page = client.get(reverse("supervision:highlight", args=[highlight.pk])).content.decode()
    assert "Ай…им" in page and "Айгерим" in page  # the reason masked; the text itself shown to its readers


def test_the_chooser_lists_the_records_in_scope(login, adult_case):
    page = login("alga_prosecutor").get(reverse("supervision:highlight_new")).content.decode()
    assert adult_case.erdr_number in page
    assert (
        adult_case.erdr_number
        not in login("temir_prosecutor").get(reverse("supervision:highlight_new")).content.decode()
    )


# --- the summary quotes them --------------------------------------------------------------------


def _request(region, *, katos=None, as_of=date(2025, 10, 16)):
    from accounts.models import District

    ids = None if katos is None else frozenset(District.objects.filter(kato__in=katos).values_list("pk", flat=True))
    return Request.make(region=region, start=date(2025, 1, 1), end=date(2025, 9, 30), as_of=as_of, district_ids=ids)


def _approved(actor, record, *, on, at, text_ru):
    return highlight_publish(
        actor=actor, record=record, on=on, now=timezone.make_aware(at), **{**make.TEXTS, "text_ru": text_ru}
    )


def test_the_summary_quotes_its_periods_approved_highlights_in_their_area(alga, adult_case):
    region = adult_case.office.region
    quoted = _approved(alga, adult_case, on=date(2025, 6, 30), at=datetime(2025, 7, 1), text_ru="Хищение: {damage}.")
    make.highlight(alga, adult_case, text_ru="Черновик {damage}.")  # a draft
    _approved(alga, adult_case, on=date(2024, 12, 30), at=datetime(2025, 1, 5), text_ru="Прошлый год {damage}.")
    _approved(alga, adult_case, on=date(2025, 9, 1), at=datetime(2025, 11, 1), text_ru="Позже {damage}.")
    withdrawn = _approved(alga, adult_case, on=date(2025, 5, 1), at=datetime(2025, 5, 2), text_ru="Отозван {damage}.")
    highlight_withdraw(actor=alga, highlight=withdrawn)
    request = _request(region)
    found = quotes(request, "ru")
    assert [plain(quote["text"]) for quote in found] == ["Хищение: 6 млрд тенге."]
    assert found[0]["link"] == reverse("supervision:highlight", args=[quoted.pk]) and found[0]["area"] == Area.CRIME
    paragraphs = narrative(compute(request).figures, "ru", quotes=found)
    crime = [paragraph for paragraph in paragraphs if paragraph.quotes]
    assert len(crime) == 1 and crime[0].title == "Преступность и профилактика"
    assert quotes(_request(region, katos=[TEMIR]), "ru") == []
    assert len(quotes(_request(region, katos=[ALGA]), "en")) == 1


def test_a_frozen_summary_keeps_the_quote_as_it_read(persona, alga, adult_case):
    _approved(alga, adult_case, on=date(2025, 6, 30), at=datetime(2025, 7, 1), text_ru="Хищение: {damage}.")
    draft = reporting_services.summary_start(
        actor=persona("analyst"), title="9 месяцев", katos=[], start=date(2025, 1, 1), end=date(2025, 9, 30)
    )
    live = selectors.read(draft, "ru")
    assert any(plain(quote["text"]) == "Хищение: 6 млрд тенге." for p in live.paragraphs for quote in p.quotes)
    approved = reporting_services.summary_approve(actor=persona("regional_prosecutor"), version=draft)
    CriminalCase.objects.filter(pk=adult_case.pk).update(damage=Decimal("7000000000"))
    frozen = selectors.read(approved, "ru")
    assert [plain(q["text"]) for p in frozen.paragraphs for q in p.quotes] == ["Хищение: 6 млрд тенге."]
    assert [plain(q["text"]) for p in selectors.read(approved, "en").paragraphs for q in p.quotes] == [
        "3 persons convicted; damage 6 billion tenge."
    ]


NAMES = [
    ("ru", "Осуждён Иванов И.И."),
    ("ru", "И. И. Иванов осуждён."),
    ("en", "Smith J. was convicted."),
    ("en", "A.B. Smith was convicted."),
    ("en", "Aigerim Nurlanova testified."),
    ("ru", "Тимур пострадал."),
    ("kk", "Айгерім Серікқызы куә болды."),
    ("ru", "ТОО «Петров и К» оштрафовано."),  # a company after a person: flagged, rewritten
]
NOT_NAMES = [
    ("ru", "В Байганинском районе и Актюбинской области дело доведено до приговора."),
    ("ru", "Байганинский район, Мугалжарский район, город Актобе."),
    ("kk", "Байғанин ауданы мен Ақтөбе қаласында іс сотқа жетті."),
    ("en", "In Baiganin District and Aktobe the case reached a verdict."),
    ("ru", "Магазин закрыт, один подозреваемый задержан."),
]


@pytest.mark.parametrize(("language", "text"), NAMES)
def test_the_name_heuristic_flags(adult_case, language, text):
    assert rules.personal_data({language: text}, names=True, region_id=adult_case.region_id), text


@pytest.mark.parametrize(("language", "text"), NOT_NAMES)
def test_the_name_heuristic_leaves_places_and_common_words(adult_case, language, text):
    assert rules.personal_data({language: text}, names=True, region_id=adult_case.region_id) == [], text


def test_the_list_reads_in_the_same_number_of_queries_whatever_its_length(login, alga, adult_case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login("alga_prosecutor")
    act = make.act(alga)
    make.highlight(alga, adult_case)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("supervision:highlights")).status_code == 200
    for record in (adult_case, make.project(), make.facility(source_case=adult_case)):
        make.highlight(alga, record, text_kk="Іс.", text_ru="Дело.", text_en="Case.")
    make.highlight(alga, act, text_kk="Акт.", text_ru="Акт.", text_en="Act.")
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("supervision:highlights")).status_code == 200
    assert len(many) == len(one)


def test_a_highlight_is_not_dated_in_the_future(alga, adult_case):
    with pytest.raises(Refused) as error:
        make.highlight(alga, adult_case, on=timezone.localdate() + timedelta(days=2))
    assert "future" in refused_messages(error)


def test_a_records_page_links_to_writing_a_highlight_for_the_prosecutors(login, alga, adult_case):
    link = reverse("supervision:highlight_new") + f"?case={adult_case.pk}"
    page = login("alga_prosecutor").get(reverse("supervision:case_detail", args=[adult_case.pk]))
    assert page.status_code == 200 and link in page.content.decode()
    read_only = login("analyst").get(reverse("supervision:case_detail", args=[adult_case.pk]))
    assert read_only.status_code == 200 and link not in read_only.content.decode()
    act = make.act(alga)
    act_page = login("alga_prosecutor").get(reverse("supervision:act_detail", args=[act.pk])).content.decode()
    assert reverse("supervision:highlight_new") + f"?act={act.pk}" in act_page
