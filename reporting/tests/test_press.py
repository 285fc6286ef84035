"""The press releases of a published summary (reporting.press, press_services, press_views): the
region's draft in kk, ru and en holds the summary's figures as its sentences hedge them and its
approved highlights; one action writes the region's and every district-level office's drafts, each
district's from its own figures and its own highlights; approved releases are kept when written
again; editing, approving, scoping on every endpoint, the archive's files, its audited download."""

import io
import re
import zipfile
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import AuditEvent, Organisation
from accounts.selectors import LOCAL_OFFICE_TYPES
from reporting import press, press_services, services
from reporting.models import PressRelease, PressReleaseEvent, SummaryVersion
from reporting.press import NotPublished
from reporting.publication import provenance_free
from reporting.services import Refused
from reporting.tests import facts
from reporting.tests.facts import ALGA, TEMIR, local
from supervision.services import highlight_approve
from supervision.tests import record_factories as make

pytestmark = pytest.mark.django_db
State = PressRelease.State
KAZAKH_LETTERS = set("әғқңөұүһі")


def plain(text: str) -> str:
    """Spaces as a test writes them (the numbers' no-break and narrow spaces as plain ones)."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


@pytest.fixture
def login(login):
    """The pages in English (the messages the tests read)."""

    def _login(username):
        client = login(username)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return _login


def _highlight(persona, username, record, texts):
    author = persona(username)
    highlight = make.highlight(author, record, now=local(2025, 6, 30), **texts)
    return highlight_approve(actor=author, highlight=highlight, now=local(2025, 7, 1))


@pytest.fixture
def records(persona):
    """Three reports in Alga and one in Temir; a highlight of a case in each district."""
    for day in (3, 4, 5):
        facts.submit(local(2025, 3, day), kato=ALGA)
    facts.submit(local(2025, 3, 6), kato=TEMIR)
    alga_case = make.case(office_code="akt-prok-alga", kato=ALGA)
    temir_case = make.case(office_code="akt-prok-temir", kato=TEMIR, convicted=5)
    alga = _highlight(
        persona,
        "alga_prosecutor",
        alga_case,
        {
            "text_kk": "Алғадағы іс: сот {convicted} адамды соттады.",
            "text_ru": "По делу в Алге осуждено {convicted} лиц.",
            "text_en": "In the Alga case {convicted} persons were convicted.",
        },
    )
    temir = _highlight(
        persona,
        "temir_prosecutor",
        temir_case,
        {
            "text_kk": "Темірдегі іс: сот {convicted} адамды соттады.",
            "text_ru": "По делу в Темире осуждено {convicted} лиц.",
            "text_en": "In the Temir case {convicted} persons were convicted.",
        },
    )
    return {"alga": alga, "temir": temir}


def _version(persona, publish=True) -> SummaryVersion:
    version = services.summary_start(
        actor=persona("analyst"), title="Итоги", region=None, katos=[], start=date(2025, 1, 1), end=date(2025, 9, 30)
    )
    approver = persona("regional_prosecutor")
    version = services.summary_approve(actor=approver, version=version)
    if publish:
        version = services.summary_publish(actor=approver, version=version)
    return version


@pytest.fixture
def published(persona, records):
    return _version(persona)


def _office(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def _release(version, code: str | None) -> PressRelease:
    office = _office(code) if code else None
    return PressRelease.objects.get(version=version, office=office)


def district_level_offices() -> int:
    return (
        Organisation.objects.filter(region=facts.region(), type__in=LOCAL_OFFICE_TYPES, is_active=True)
        .filter(districts__isnull=False)
        .distinct()
        .count()
    )


# --- the text -------------------------------------------------------------------------------------


def test_it_writes_the_regions_draft_with_the_summarys_figures_and_highlights_in_three_languages(published):
    draft = press.region_draft(published)
    en, ru, kk = (plain(draft.bodies[language]) for language in ("en", "ru", "kk"))
    # The opening: the board of the period, the figures' "as of" day and base.
    assert (
        draft.headlines["en"]
        == "The Prosecutor's Office of Aktobe Region summarizes the results of its work for 9 months of 2025"
    )
    assert en.startswith(
        "At a meeting of the board of the prosecutor's office, the results of its work for 9 months of 2025"
    )
    assert "as of 30.09.2025, compared with the same period of the previous year" in en
    assert "подвела итоги работы за 9 месяцев 2025 года" in draft.headlines["ru"]
    assert "по состоянию на 30.09.2025" in ru
    # The summary's figures as its sentences say them, and both approved highlights.
    assert "4 reports came in from citizens through FSM Social" in en
    assert "поступило 4 обращения" in ru and "4 өтініш" in kk
    assert "In the Alga case 3 persons were convicted." in en and "In the Temir case 5 persons were convicted." in en
    assert "По делу в Алге осуждено 3 лиц." in ru and "Темірдегі іс: сот 5 адамды соттады." in kk
    # Kazakh really Kazakh: its frame too, not the English one.
    assert KAZAKH_LETTERS & set(draft.headlines["kk"]) and "жұмыс қорытындыларын шығарды" in draft.headlines["kk"]
    assert "Прокуратура алқасының отырысында" in kk and "Баспасөз қызметі" in kk and "board" not in kk
    # The order: opening, the areas, the closing and the press service last; no links published.
    paragraphs = draft.bodies["en"].split("\n\n")
    assert paragraphs[-2] == "Work in these areas continues."
    assert paragraphs[-1] == "Press service: Prosecutor's Office of Aktobe Region"
    assert all(provenance_free(body) for body in draft.bodies.values())
    assert "/supervision/" not in draft.bodies["en"]
    assert "fsm.reports.received" in draft.sources["metrics"] and len(draft.sources["quotes"]) == 2


def test_its_length_and_order_follow_the_reference_documents(published):
    """A few paragraphs of prose, no headings, within the reference documents' length (the
    9-month release: about 4,700 characters)."""
    for language in ("kk", "ru", "en"):
        body = press.region_draft(published).bodies[language]
        assert "#" not in body and 3 <= len(body.split("\n\n")) <= 30
        assert len(body) < 6000


def test_it_refuses_an_unpublished_version_with_a_translated_message(persona, records):
    draft_version = _version(persona, publish=False)
    with pytest.raises(NotPublished) as error:
        press_services.press_releases_write(actor=persona("press_officer"), version=draft_version)
    assert "published summary" in error.value.messages[0] and "approved" in error.value.messages[0]
    assert not PressRelease.objects.exists()


# --- every office in one action ---------------------------------------------------------------------


def test_one_action_writes_the_regions_and_every_district_level_offices_drafts(persona, published):
    done = press_services.press_releases_write(actor=persona("press_officer"), version=published)
    assert len(done.written) == 1 + district_level_offices() and not done.refreshed and not done.kept
    assert PressRelease.objects.filter(version=published, state=State.DRAFT).count() == 1 + district_level_offices()
    assert PressReleaseEvent.objects.filter(kind=PressReleaseEvent.Kind.WRITTEN).count() == len(done.written)


def test_a_districts_draft_holds_its_own_figures_and_its_own_highlights_only(persona, published):
    press_services.press_releases_write(actor=persona("press_officer"), version=published)
    alga, temir = _release(published, "akt-prok-alga"), _release(published, "akt-prok-temir")
    alga_en, temir_en = plain(alga.body_en), plain(temir.body_en)
    assert alga.headline_en.startswith("The Prosecutor's Office of Alga District summarizes")
    assert "3 reports came in" in alga_en and "4 reports" not in alga_en
    assert "1 report came in" in temir_en and "4 reports" not in temir_en
    assert "поступило 3 обращения" in plain(alga.body_ru)
    assert "Alga case" in alga_en and "Temir case" not in alga_en
    assert "Temir case" in temir_en and "Alga case" not in temir_en
    assert "Алғадағы іс" in alga.body_kk and "Темірдегі" not in alga.body_kk
    # An office without records of the period says so rather than printing zeros.
    city = plain(_release(published, "akt-prok-city").body_en)
    assert "The period has no figures to publish yet." in city and " 0 " not in city


def test_a_second_writing_refreshes_drafts_and_keeps_the_approved_ones(persona, published):
    officer = persona("press_officer")
    press_services.press_releases_write(actor=officer, version=published)
    alga = _release(published, "akt-prok-alga")
    press_services.press_release_save(
        actor=officer, release=alga, texts={"headline_en": "Approved headline", "body_en": "Approved text."}
    )
    press_services.press_release_approve(actor=officer, release=alga)
    temir = _release(published, "akt-prok-temir")
    press_services.press_release_save(actor=officer, release=temir, texts={"body_en": "Hand-edited draft."})
    done = press_services.press_releases_write(actor=officer, version=published)
    assert [release.office.code for release in done.kept] == ["akt-prok-alga"]
    assert len(done.refreshed) == district_level_offices() and not done.written
    alga.refresh_from_db()
    temir.refresh_from_db()
    assert alga.state == State.APPROVED and alga.body_en == "Approved text."
    assert temir.body_en != "Hand-edited draft." and "1 report came in" in plain(temir.body_en)


# --- edit and approve -----------------------------------------------------------------------------


def test_editing_an_approved_release_makes_it_a_draft_again_and_reopen_does_too(persona, published):
    officer = persona("press_officer")
    press_services.press_releases_write(actor=officer, version=published)
    region = _release(published, None)
    region = press_services.press_release_approve(actor=officer, release=region)
    region = press_services.press_release_save(actor=officer, release=region, texts={"body_ru": "Новый текст."})
    assert region.state == State.DRAFT and region.approved_at is None and region.body_ru == "Новый текст."
    region = press_services.press_release_approve(actor=officer, release=region)
    region = press_services.press_release_reopen(actor=officer, release=region)
    kinds = list(region.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["written", "approved", "text_saved", "approved", "reopened"]
    with pytest.raises(Refused):
        press_services.press_release_reopen(actor=officer, release=region)


def test_an_empty_text_is_refused_and_nothing_is_saved(persona, published):
    officer = persona("press_officer")
    press_services.press_releases_write(actor=officer, version=published)
    region = _release(published, None)
    before = region.body_kk
    with pytest.raises(Refused):
        press_services.press_release_save(actor=officer, release=region, texts={"body_kk": "  ", "body_en": "X."})
    region.refresh_from_db()
    assert region.body_kk == before and region.body_en != "X."


def test_who_may_write_edit_and_approve(persona, published):
    with pytest.raises(PermissionDenied):
        press_services.press_releases_write(actor=persona("alga_prosecutor"), version=published)
    press_services.press_releases_write(actor=persona("analyst"), version=published)
    alga, temir = _release(published, "akt-prok-alga"), _release(published, "akt-prok-temir")
    prosecutor = persona("alga_prosecutor")
    press_services.press_release_save(actor=prosecutor, release=alga, texts={"body_ru": "Свой текст."})
    with pytest.raises(PermissionDenied):
        press_services.press_release_save(actor=prosecutor, release=temir, texts={"body_ru": "Чужой текст."})
    with pytest.raises(PermissionDenied):
        press_services.press_release_approve(actor=prosecutor, release=alga)
    with pytest.raises(PermissionDenied):
        press_services.press_release_approve(actor=persona("department_prosecutor"), release=alga)


# --- the pages ------------------------------------------------------------------------------------


def _urls(version, release):
    args = [version.summary_id, version.number]
    return {
        "list": reverse("reporting:press_releases", args=args),
        "archive": reverse("reporting:press_archive", args=args),
        "release": reverse("reporting:press_release", args=[release.pk]),
    }


def test_the_press_officer_writes_edits_approves_and_downloads_the_archive(login, persona, published):
    client = login("press_officer")
    version_page = client.get(reverse("reporting:version", args=[published.summary_id, published.number]))
    assert (
        reverse("reporting:press_releases", args=[published.summary_id, published.number])
        in version_page.content.decode()
    )
    written = client.post(reverse("reporting:press_write", args=[published.summary_id, published.number]), follow=True)
    assert written.status_code == 200 and "Press releases written" in written.content.decode()
    assert PressRelease.objects.filter(version=published).count() == 1 + district_level_offices()
    region = _release(published, None)
    urls = _urls(published, region)
    page = client.get(urls["release"]).content.decode()
    assert "4 reports came in" in plain(page) and "Қазақша" in page
    texts = {
        f"{part}_{code}": region.headline(code) if part == "headline" else region.body(code)
        for part in ("headline", "body")
        for code in ("kk", "ru", "en")
    }
    saved = client.post(reverse("reporting:press_release_save", args=[region.pk]), {**texts, "body_en": "Edited."})
    assert saved.status_code == 302
    region.refresh_from_db()
    assert region.body_en == "Edited." and region.edited_by.username == "press_officer"
    approved = client.post(reverse("reporting:press_release_action", args=[region.pk, "approve"]), follow=True)
    assert "The press release is approved." in approved.content.decode()
    region.refresh_from_db()
    assert region.state == State.APPROVED

    again = client.post(reverse("reporting:press_write", args=[published.summary_id, published.number]), follow=True)
    assert "Approved releases kept as they were" in again.content.decode()

    download = client.get(urls["archive"])
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    files = zipfile.ZipFile(io.BytesIO(download.content))
    names = set(files.namelist())
    assert {"akt-prok-region-kk.txt", "akt-prok-region-en.docx", "akt-prok-alga-ru.txt"} <= names
    assert len(names) == (1 + district_level_offices()) * 3 * 2
    assert "Edited." in files.read("akt-prok-region-en.txt").decode()
    assert "3 reports came in" in plain(files.read("akt-prok-alga-en.txt").decode())
    from docx import Document

    docx = Document(io.BytesIO(files.read("akt-prok-temir-kk.docx")))
    kazakh = "\n".join(paragraph.text for paragraph in docx.paragraphs)
    assert "Темірдегі іс" in kazakh and KAZAKH_LETTERS & set(kazakh)
    audit = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD, actor__username="press_officer")
    assert audit.target == f"reporting.summaryversion:{published.pk}" and audit.details["format"] == "zip"
    assert len(audit.details["releases"]) == 1 + district_level_offices()


def test_an_edit_with_an_empty_text_is_refused_on_the_page_with_the_text_kept(login, persona, published):
    press_services.press_releases_write(actor=persona("press_officer"), version=published)
    region = _release(published, None)
    client = login("press_officer")
    texts = {f"headline_{code}": region.headline(code) for code in ("kk", "ru", "en")}
    texts.update(body_kk="Жаңа мәтін.", body_ru="", body_en="Typed, kept.")
    refused = client.post(reverse("reporting:press_release_save", args=[region.pk]), texts)
    page = refused.content.decode()
    assert refused.status_code == 400 and "fill in the empty ones" in page
    assert "Typed, kept." in page and "Жаңа мәтін." in page
    region.refresh_from_db()
    assert region.body_en != "Typed, kept."


def test_writing_the_releases_of_an_unpublished_version_is_refused_on_the_page(login, persona, records):
    version = _version(persona, publish=False)
    client = login("press_officer")
    answer = client.post(reverse("reporting:press_write", args=[version.summary_id, version.number]), follow=True)
    assert "Press releases are written from a published summary" in answer.content.decode()
    assert not PressRelease.objects.exists()
    listing = client.get(reverse("reporting:press_releases", args=[version.summary_id, version.number]))
    assert "publish this version first" in listing.content.decode()


@pytest.mark.parametrize("username", ["citizen", "alga_officer", "bank_partner"])
def test_a_citizen_an_officer_or_a_partner_reaches_no_endpoint(login, persona, published, username):
    press_services.press_releases_write(actor=persona("press_officer"), version=published)
    region = _release(published, None)
    client = login(username)
    urls = _urls(published, region)
    for url in [*urls.values(), reverse("reporting:press_index")]:
        assert client.get(url).status_code in (403, 404), url
    posts = [
        reverse("reporting:press_write", args=[published.summary_id, published.number]),
        reverse("reporting:press_release_save", args=[region.pk]),
        reverse("reporting:press_release_action", args=[region.pk, "approve"]),
    ]
    for url in posts:
        assert client.post(url, {"body_en": "x"}).status_code in (403, 404), url
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()


def test_a_district_prosecutor_sees_and_edits_only_their_offices_release(login, persona, published):
    press_services.press_releases_write(actor=persona("press_officer"), version=published)
    alga, temir, region = (_release(published, code) for code in ("akt-prok-alga", "akt-prok-temir", None))
    client = login("alga_prosecutor")
    index = client.get(reverse("reporting:press_index")).content.decode()
    assert reverse("reporting:press_release", args=[alga.pk]) in index
    assert reverse("reporting:press_release", args=[temir.pk]) not in index
    assert client.get(reverse("reporting:press_release", args=[alga.pk])).status_code == 200
    for other in (temir, region):
        assert client.get(reverse("reporting:press_release", args=[other.pk])).status_code == 404
        saved = client.post(reverse("reporting:press_release_save", args=[other.pk]), {"body_en": "x"})
        assert saved.status_code == 404
    # The region's summary is not theirs: its list, its archive and its writing are not found.
    urls = _urls(published, region)
    assert client.get(urls["list"]).status_code == 404 and client.get(urls["archive"]).status_code == 404
    write = reverse("reporting:press_write", args=[published.summary_id, published.number])
    assert client.post(write).status_code == 404
    texts = {
        f"{part}_{code}": getattr(alga, f"{part}_{code}")
        for part in ("headline", "body")
        for code in ("kk", "ru", "en")
    }
    saved = client.post(reverse("reporting:press_release_save", args=[alga.pk]), {**texts, "body_ru": "Свой текст."})
    assert saved.status_code == 302
    alga.refresh_from_db()
    assert alga.body_ru == "Свой текст."
    assert client.post(reverse("reporting:press_release_action", args=[alga.pk, "approve"])).status_code == 403
