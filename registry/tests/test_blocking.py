"""Blocking requests: confirmed indicators grouped by addressee, sent with the office's outgoing
number, their letters in Kazakh and Russian and their list, answered by the partner in the page or
from its filled list, each download audited, each step a dated event; partners see only their own
requests, need the second factor, and are refused another's items; the summary counts a block by its
day whatever happened later."""

import re
import zipfile
import zlib
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from docx import Document
from openpyxl import Workbook, load_workbook
from schwifty import IBAN
from stdnum import luhn

from accounts.models import AuditEvent, District, Notification, Organisation
from lib.spreadsheets import neutralise
from registry import services
from registry.documents import list_headers
from registry.indicators import Kind
from registry.models import BlockingEvent, BlockingItem, BlockingRequest, Indicator, IndicatorEvent, Status
from registry.tests.test_notices import BILLION_LAUGHS, with_entities
from reporting.figures import Request, compute
from reporting.tests import facts

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(login):
    """The pages in English, the catalogues' source, whatever the persona's language."""

    def _login(username):
        client = login(username)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return _login


ALGA = "153200000"
HALYK = IBAN.generate("KZ", bank_code="601", account_code="0000012345678").compact
KASPI = IBAN.generate("KZ", bank_code="722", account_code="0000087654321").compact
NATIONAL_BANK = IBAN.generate("KZ", bank_code="125", account_code="0000011112222").compact  # not a partner
CARD = "400000123456789" + luhn.calc_check_digit("400000123456789")
VALUES = {
    "halyk": (Kind.IBAN, HALYK),
    "kaspi": (Kind.IBAN, KASPI),
    "national_bank": (Kind.IBAN, NATIONAL_BANK),
    "card": (Kind.CARD, CARD),
    "wallet": (Kind.WALLET, "kaspi-gold-7771234567"),
    "site": (Kind.WEBSITE, "kristall-shop.example/catalog"),
    "telegram": (Kind.TELEGRAM, "@kristall_aktobe"),
    "phone": (Kind.PHONE, "+77051234567"),
    "crypto": (Kind.CRYPTO, "0x52908400098527886e0f7030069857d2e4169ee7"),
}


def confirmed(persona, name: str) -> Indicator:
    prosecutor = persona("regional_prosecutor")
    kind, raw = VALUES[name]
    sighting = services.indicator_enter(actor=prosecutor, kind=kind, raw=raw, district=District.objects.get(kato=ALGA))
    return services.indicator_confirm(actor=prosecutor, indicator=sighting.indicator)


def drafted(persona, *names, language="ru"):
    indicators = [confirmed(persona, name) for name in names]
    grouping = services.blocking_requests_draft(actor=persona("analyst"), indicators=indicators, language=language)
    drafts = BlockingRequest.objects.filter(status="draft").select_related("addressee")
    return grouping, {draft.addressee.code: draft for draft in drafts}


def sent(persona, *names, language="ru", legal_basis="Article X of the office's regulations (test text)."):
    _grouping, requests = drafted(persona, *names, language=language)
    analyst = persona("analyst")
    for request in requests.values():
        services.blocking_request_change(actor=analyst, request=request, legal_basis=legal_basis, language=language)
        services.blocking_request_send(actor=analyst, request=request)
    return requests


def test_it_groups_each_indicator_by_its_addressee_and_leaves_out_those_without_one(persona):
    suspected = services.indicator_enter(actor=persona("regional_prosecutor"), kind=Kind.IBAN, raw=KASPI).indicator
    names = ("halyk", "kaspi", "national_bank", "card", "wallet", "site", "telegram", "phone", "crypto")
    indicators = [confirmed(persona, name) for name in names if name != "kaspi"] + [suspected]
    grouping = services.blocking_requests_draft(actor=persona("analyst"), indicators=indicators)
    by_code = {addressee.code: sorted(i.kind for i in members) for addressee, members in grouping.by_addressee.items()}
    assert by_code == {
        "bank-halyk": [Kind.IBAN],
        "nbk-antifraud": [Kind.CARD, Kind.WALLET],
        "mci": [Kind.WEBSITE],
        "platform-telegram": [Kind.TELEGRAM],
    }
    left_out = {entry.indicator.kind: entry.reason for entry in grouping.left_out}
    assert left_out[Kind.PHONE] == left_out[Kind.CRYPTO]
    assert "have no addressee" in left_out[Kind.PHONE] and "have no addressee" in left_out[Kind.CRYPTO]
    reasons = [entry.reason for entry in grouping.left_out]
    assert any("not a partner" in reason for reason in reasons) and any("Not confirmed" in r for r in reasons)
    requests = BlockingRequest.objects.all()
    assert requests.count() == 4 and set(requests.values_list("status", flat=True)) == {"draft"}
    assert set(requests.values_list("legal_basis", flat=True)) == {""}  # the template ships empty
    # Selected again: one draft per addressee, nothing requested twice.
    again = services.blocking_requests_draft(actor=persona("analyst"), indicators=indicators)
    assert not again.by_addressee and BlockingItem.objects.count() == 5
    assert any("open blocking request" in entry.reason for entry in again.left_out)


def test_only_the_analyst_and_region_wide_prosecutors_request_blocking(persona):
    indicator = confirmed(persona, "halyk")
    for username in ("alga_prosecutor", "alga_officer", "bank_partner", "board_secretary"):
        with pytest.raises(PermissionDenied):
            services.blocking_requests_draft(actor=persona(username), indicators=[indicator])
    services.blocking_requests_draft(actor=persona("department_prosecutor"), indicators=[indicator])
    assert BlockingItem.objects.count() == 1


def test_sending_numbers_the_request_from_the_offices_register_and_the_indicators_follow(persona):
    _grouping, requests = drafted(persona, "halyk", "card")
    analyst, halyk, partner = persona("analyst"), requests["bank-halyk"], persona("bank_partner")
    with pytest.raises(ValidationError, match="legal basis"):
        services.blocking_request_send(actor=analyst, request=halyk)
    assert not BlockingRequest.objects.exclude(outgoing_number="").exists()
    services.blocking_request_change(actor=analyst, request=halyk, legal_basis="Test basis.", language="kk")
    with facts.clock(facts.local(2025, 3, 3, 10)):
        services.blocking_request_send(actor=analyst, request=halyk)
    halyk.refresh_from_db()
    assert halyk.outgoing_number == "akt-prok-region/2025/1" and halyk.status == "sent"
    indicator = halyk.items.get().indicator
    assert indicator.status == Status.BLOCKING_REQUESTED
    assert indicator.events.filter(kind=IndicatorEvent.Kind.BLOCKING_REQUESTED, actor=analyst).exists()
    assert list(halyk.events.order_by("id").values_list("kind", "day")) == [
        ("drafted", date.today()),
        ("sent", date(2025, 3, 3)),
    ]
    with pytest.raises(ValidationError):
        services.blocking_request_change(actor=analyst, request=halyk, legal_basis="Other.", language="ru")
    # The bank's partner is told, in its language, with the link; nobody of another organisation.
    (told,) = Notification.objects.filter(key=f"blocking-request-sent:{halyk.pk}")
    assert told.user == partner and told.url == f"/registry/requests/{halyk.pk}/"
    assert "akt-prok-region/2025/1" in told.subject


def test_answers_follow_the_steps_each_with_its_date_and_amount(persona):
    with facts.clock(facts.local(2025, 3, 3, 10)):
        requests = sent(persona, "halyk")
    halyk, partner = requests["bank-halyk"], persona("bank_partner")
    item = halyk.items.get()
    with facts.clock(facts.local(2025, 3, 12, 15)):
        blocked = services.Answer(item.pk, "blocked", date(2025, 3, 11), Decimal("125000.50"), "Frozen")
        services.blocking_items_answer(actor=partner, request=halyk, answers=[blocked])
        with pytest.raises(ValidationError):  # blocked cannot be blocked again, nor refused
            services.blocking_items_answer(actor=partner, request=halyk, answers=[services.Answer(item.pk, "refused")])
    item.refresh_from_db()
    halyk.refresh_from_db()
    assert (item.status, item.amount, item.answered_on, item.answered_by) == (
        "blocked",
        Decimal("125000.50"),
        date(2025, 3, 11),
        partner,
    )
    assert halyk.status == "answered" and Indicator.objects.get(pk=item.indicator_id).status == Status.BLOCKED
    event = item.events.get(kind="blocked")
    assert (event.day, event.amount, event.answer_days, event.actor) == (date(2025, 3, 11), item.amount, 8, partner)
    with facts.clock(facts.local(2025, 5, 2, 9)):
        services.blocking_items_answer(
            actor=partner, request=halyk, answers=[services.Answer(item.pk, "unblocked", date(2025, 5, 1))]
        )
    item.refresh_from_db()
    assert item.status == "unblocked" and item.ended_on == date(2025, 5, 1)
    assert Indicator.objects.get(pk=item.indicator_id).status == Status.UNBLOCKED
    kinds = list(item.indicator.events.values_list("kind", flat=True))
    assert kinds[-3:] == ["blocking_requested", "blocked", "unblocked"]
    # The block counts on its day in March, though lifted since; not in May.
    region = facts.region()
    march = compute(Request.make(region=region, start=date(2025, 3, 1), end=date(2025, 3, 31), as_of=date(2025, 6, 1)))
    assert march.figure("fraud.accounts.blocked").value == 1
    assert Decimal(march.figure("fraud.accounts.blocked.amount").value) == Decimal("125000.50")
    assert march.figure("fraud.requests.answered").value == 1 and march.figure("fraud.requests.answer_days").value == 8
    may = compute(Request.make(region=region, start=date(2025, 5, 1), end=date(2025, 5, 31), as_of=date(2025, 6, 1)))
    assert not may.figure("fraud.accounts.blocked").value
    # As of a day before the answer was recorded, March had none.
    early = compute(Request.make(region=region, start=date(2025, 3, 1), end=date(2025, 3, 31), as_of=date(2025, 3, 11)))
    assert not early.figure("fraud.accounts.blocked").value


def test_a_refused_or_unanswered_indicator_is_never_expired_and_the_lookup_answers_its_status(persona):
    requests = sent(persona, "halyk")
    item = requests["bank-halyk"].items.get()
    services.indicators_expire()
    assert Indicator.objects.get(pk=item.indicator_id).status == Status.BLOCKING_REQUESTED
    from registry.api import ANSWERED

    assert {"confirmed", "blocking_requested", "blocked", "refused", "unblocked"} <= set(ANSWERED)


# --- letters and list -------------------------------------------------------------------------------


def _streams(pdf: bytes) -> list[bytes]:
    """The PDF's compressed streams, inflated (pypdf is not installed: the metadata and the fonts'
    ToUnicode maps are read from them, as supervision's letter tests do)."""
    found = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", match.end())
        try:
            found.append(zlib.decompress(pdf[match.end() : end]))
        except zlib.error:
            continue
    return found


def _pdf_titles(inflated: bytes) -> list[str]:
    titles = []
    for match in re.finditer(rb"/Title\s*(\((?:[^()\\]|\\.)*\)|<[0-9a-fA-F]+>)", inflated):
        value = match.group(1)
        if value.startswith(b"<"):
            titles.append(bytes.fromhex(value[1:-1].decode()).decode("utf-16"))
        else:
            titles.append(value[1:-1].decode("latin-1"))
    return titles


def docx_text(content: bytes) -> str:
    return "\n".join(paragraph.text for paragraph in Document(BytesIO(content)).paragraphs)


@pytest.mark.parametrize(
    ("language", "office_name", "addressee_name"),
    [
        ("ru", "Прокуратура Актюбинской области", "Министерство культуры и информации Республики Казахстан"),
        ("kk", "Ақтөбе облысының прокуратурасы", "Қазақстан Республикасы Мәдениет және ақпарат министрлігі"),
    ],
    ids=["ru", "kk"],
)
def test_the_letter_in_kazakh_or_russian_carries_the_number_the_basis_and_counts_never_a_report(
    login, persona, language, office_name, addressee_name
):
    requests = sent(persona, "site", language=language, legal_basis="Basis line one.\nBasis line two.")
    mci = requests["mci"]
    client = login("analyst")
    response = client.get(reverse("registry:request_docx", args=[mci.pk]))
    assert response.status_code == 200 and response["Cache-Control"].startswith("private")
    text = docx_text(response.content)
    assert mci.outgoing_number in text and "Basis line two." in text
    assert office_name in text and addressee_name in text
    assert Document(BytesIO(response.content)).core_properties.language == language
    assert ": 1" in text  # one website
    assert "kristall" not in text  # the values are in the list, not the letter
    assert "Reported" not in text and "reporter" not in text.lower()
    pdf = client.get(reverse("registry:request_pdf", args=[mci.pk])).content
    inflated = b"\n".join(_streams(pdf))
    assert any(title.startswith(mci.outgoing_number) for title in _pdf_titles(inflated))
    assert b"/URI" not in pdf and b"http" not in inflated
    if language == "kk":
        for letter in "ққө":
            assert f"<{ord(letter):04x}>".encode() in inflated.lower(), letter


def test_the_list_holds_each_value_in_full_with_cells_neutralised(login, persona):
    requests = sent(persona, "card", "wallet")
    antifraud = requests["nbk-antifraud"]
    item = antifraud.items.get(indicator__kind=Kind.CARD)
    BlockingItem.objects.filter(pk=item.pk).update(note='=HYPERLINK("http://x")')
    response = login("analyst").get(reverse("registry:request_xlsx", args=[antifraud.pk]))
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    with translation.override(antifraud.language):
        assert len(rows) == 3 and list(rows[0]) == list_headers()
    values = {row[2] for row in rows[1:]}
    assert CARD in values and "kaspi-gold-7771234567" in values
    assert '\'=HYPERLINK("http://x")' in {row[6] for row in rows[1:]}
    assert neutralise("+7 705") == "'+7 705" and neutralise("-1") == "'-1" and neutralise("@x") == "'@x"
    assert neutralise(-1) == -1 and neutralise("kaspi") == "kaspi"


def test_every_download_is_audited(login, persona):
    requests = sent(persona, "halyk")
    halyk = requests["bank-halyk"]
    client = login("bank_partner")
    for name, document in (
        ("request_docx", "letter.docx"),
        ("request_pdf", "letter.pdf"),
        ("request_xlsx", "list.xlsx"),
    ):
        assert client.get(reverse(f"registry:{name}", args=[halyk.pk])).status_code == 200
        audited = AuditEvent.objects.filter(action=AuditEvent.Action.PERSONAL_DATA_VIEW).last()
        assert audited.actor_label == "bank_partner" and audited.details["document"] == document
        assert audited.target == f"registry.blocking_request:{halyk.pk}"
    _grouping, drafts = drafted(persona, "kaspi")
    analyst = login("analyst")
    count = AuditEvent.objects.count()
    assert analyst.get(reverse("registry:request_docx", args=[drafts["bank-kaspi"].pk])).status_code == 404
    assert AuditEvent.objects.count() == count


# --- partners ---------------------------------------------------------------------------------------


def test_a_partner_needs_the_second_factor(persona):
    partner = persona("bank_partner")
    assert partner.needs_second_factor
    client = Client()
    client.force_login(partner)  # the password only
    response = client.get(reverse("registry:requests"))
    assert response.status_code == 302 and "otp" in response.url


def test_the_partner_answers_several_items_in_the_page(login, persona):
    halyk_other = IBAN.generate("KZ", bank_code="601", account_code="0000099998888").compact
    VALUES["halyk_other"] = (Kind.IBAN, halyk_other)
    requests = sent(persona, "halyk", "halyk_other", "kaspi")
    halyk = requests["bank-halyk"]
    first, second = halyk.items.order_by("id")
    client = login("bank_partner")
    listed = client.get(reverse("registry:requests")).content.decode()
    assert halyk.outgoing_number in listed and requests["bank-kaspi"].outgoing_number not in listed
    page = client.get(reverse("registry:request", args=[halyk.pk])).content.decode()
    assert f'name="state-{first.pk}"' in page and "legal_basis" not in page
    response = client.post(
        reverse("registry:request_answer", args=[halyk.pk]),
        {
            f"state-{first.pk}": "blocked",
            f"amount-{first.pk}": "1 250 000,50",
            f"state-{second.pk}": "not_found",
            f"note-{second.pk}": "Account closed",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.amount) == ("blocked", Decimal("1250000.50"))
    assert (second.status, second.note) == ("not_found", "Account closed")
    assert BlockingRequest.objects.get(pk=halyk.pk).status == "answered"
    # A bad amount beside a good answer records neither.
    kaspi_like = sent(persona, "card")["nbk-antifraud"]
    card_item = kaspi_like.items.get()
    assert (
        login("analyst")
        .post(
            reverse("registry:request_answer", args=[kaspi_like.pk]),
            {f"state-{card_item.pk}": "blocked", f"amount-{card_item.pk}": "a lot"},
        )
        .status_code
        == 302
    )
    assert BlockingItem.objects.get(pk=card_item.pk).status == "requested"


def test_a_partner_is_refused_another_partners_request_and_items_on_every_write(login, persona):
    requests = sent(persona, "halyk", "kaspi")
    halyk, kaspi = requests["bank-halyk"], requests["bank-kaspi"]
    kaspi_item, halyk_item = kaspi.items.get(), halyk.items.get()
    client = login("bank_partner")
    assert client.get(reverse("registry:request", args=[kaspi.pk])).status_code == 404
    assert client.get(reverse("registry:request_xlsx", args=[kaspi.pk])).status_code == 404
    answer = {f"state-{kaspi_item.pk}": "blocked", f"amount-{kaspi_item.pk}": "10"}
    assert client.post(reverse("registry:request_answer", args=[kaspi.pk]), answer).status_code == 403
    # Its own request's address with another's item: refused too, nothing recorded.
    assert client.post(reverse("registry:request_answer", args=[halyk.pk]), answer).status_code == 403
    for name in ("request_change", "request_send", "request_upload"):
        assert client.post(reverse(f"registry:{name}", args=[halyk.pk])).status_code == 403
    remove = reverse("registry:item_remove", args=[halyk.pk, halyk_item.pk])
    assert client.post(remove).status_code == 403
    assert set(BlockingItem.objects.values_list("status", flat=True)) == {"requested"}
    with pytest.raises(PermissionDenied):
        services.blocking_items_answer(
            actor=persona("bank_partner"), request=kaspi, answers=[services.Answer(kaspi_item.pk, "blocked")]
        )


def test_a_request_out_of_sight_is_not_found_on_every_write_but_the_answer(login, persona):
    """A reader of requests who may not see this one is told it does not exist (404), not that it
    is refused; only a partner answering another's request is refused (403), as the issue asks. A
    role that reads no request at all is refused every page (403)."""
    kaspi = sent(persona, "kaspi")["bank-kaspi"]
    item = kaspi.items.get()
    client = login("bank_partner")
    for name in ("request_change", "request_send", "request_upload"):
        assert client.post(reverse(f"registry:{name}", args=[kaspi.pk])).status_code == 404
    assert client.post(reverse("registry:item_remove", args=[kaspi.pk, item.pk])).status_code == 404
    assert client.post(reverse("registry:request_answer", args=[kaspi.pk]), {}).status_code == 403
    outsider = login("alga_prosecutor")
    assert outsider.post(reverse("registry:request_send", args=[kaspi.pk])).status_code == 403
    assert set(BlockingItem.objects.values_list("status", flat=True)) == {"requested"}


def _filled_list(client, request, fill) -> bytes:
    workbook = load_workbook(BytesIO(client.get(reverse("registry:request_xlsx", args=[request.pk])).content))
    sheet = workbook.active
    for row in sheet.iter_rows(min_row=2):
        fill(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_analyst_records_the_partners_filled_list_all_or_nothing(login, persona):
    requests = sent(persona, "card", "wallet")
    antifraud = requests["nbk-antifraud"]
    client = login("analyst")
    upload = reverse("registry:request_upload", args=[antifraud.pk])

    def bad(row):
        row[3].value = "Blocked" if row[2].value == CARD else "perhaps"
        row[4].value = "5000"

    content = _filled_list(client, antifraud, bad)
    page = client.post(upload, {"list": _file(content)}, follow=True).content.decode()
    assert "is not an answer" in page and "Nothing was recorded" in page
    assert set(antifraud.items.values_list("status", flat=True)) == {"requested"}

    def good(row):
        if row[2].value == CARD:
            row[2].value = " ".join(CARD[i : i + 4] for i in range(0, 16, 4))  # written another way
            row[3].value, row[4].value, row[5].value = "blocked", "75 000", date.today().strftime("%d.%m.%Y")
        else:
            row[3].value = "refused"

    content = _filled_list(client, antifraud, good)
    assert client.post(upload, {"list": _file(content)}).status_code == 302
    card_item = antifraud.items.get(indicator__kind=Kind.CARD)
    assert (card_item.status, card_item.amount) == ("blocked", Decimal("75000.00"))
    assert antifraud.items.get(indicator__kind=Kind.WALLET).status == "refused"
    assert BlockingEvent.objects.filter(request=antifraud, kind="blocked", amount=Decimal("75000")).exists()


def test_an_upload_is_size_capped_and_checked_for_a_zip_bomb(login, persona, settings):
    antifraud = sent(persona, "card")["nbk-antifraud"]
    client = login("analyst")
    upload = reverse("registry:request_upload", args=[antifraud.pk])
    not_xlsx = client.post(upload, {"list": _file(b"PK not really")}, follow=True).content.decode()
    assert "not an XLSX workbook" in not_xlsx
    bomb = BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (60 * 1024 * 1024))
    assert len(bomb.getvalue()) < 1024 * 1024
    page = client.post(upload, {"list": _file(bomb.getvalue())}, follow=True).content.decode()
    assert "unpacks to more than" in page
    large = client.post(upload, {"list": _file(b"0" * (5 * 1024 * 1024 + 10))}, follow=True).content.decode()
    assert "larger than 5 MB" in large
    workbook = Workbook()
    workbook.active.append(["No."])
    buffer = BytesIO()
    workbook.save(buffer)
    bombed = with_entities(_filled_list(client, antifraud, lambda row: None), BILLION_LAUGHS, "&lol9;")
    page = client.post(upload, {"list": _file(bombed)}, follow=True).content.decode()
    assert "its rows could not be read" in page
    assert client.post(upload, {"list": _file(buffer.getvalue())}).status_code == 302
    assert antifraud.items.get().status == "requested"


def _file(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("answer.xlsx", content, content_type="application/octet-stream")


# --- scoping ----------------------------------------------------------------------------------------

# Who reads the requests' pages (the selection page: the requesters only).
READERS = {
    "analyst": True,
    "regional_prosecutor": True,
    "department_prosecutor": True,
    "administrator": True,
    "bank_partner": True,
    "alga_prosecutor": False,
    "temir_prosecutor": False,
    "alga_officer": False,
    "board_secretary": False,
    "citizen": False,
}


@pytest.mark.parametrize("username", sorted(READERS))
def test_each_persona_sees_the_requests_of_its_scope_only(login, persona, username):
    requests = sent(persona, "halyk", "kaspi")
    halyk, kaspi = requests["bank-halyk"], requests["bank-kaspi"]
    client = login(username)
    listing = client.get(reverse("registry:requests"))
    select = client.get(reverse("registry:blocking_select"))
    if not READERS[username]:
        assert listing.status_code == 403 and select.status_code == 403
        assert client.get(reverse("registry:request", args=[halyk.pk])).status_code == 403
        assert client.get(reverse("registry:request_pdf", args=[halyk.pk])).status_code == 403
        answer = {f"state-{halyk.items.get().pk}": "refused"}
        assert client.post(reverse("registry:request_answer", args=[halyk.pk]), answer).status_code == 403
        return
    assert listing.status_code == 200
    assert client.get(reverse("registry:request", args=[halyk.pk])).status_code == 200
    kaspi_page = client.get(reverse("registry:request", args=[kaspi.pk])).status_code
    if username == "bank_partner":
        assert select.status_code == 403 and kaspi_page == 404
    else:
        assert select.status_code == 200 and kaspi_page == 200


def test_the_selection_page_drafts_all_of_a_filter_and_lists_what_was_left_out(login, persona):
    confirmed(persona, "halyk")
    confirmed(persona, "site")
    confirmed(persona, "phone")
    client = login("analyst")
    page = client.get(reverse("registry:blocking_select"), {"kind": "iban"}).content.decode()
    assert "KZ" in page and "kristall" not in page and "have no addressee" in page
    response = client.post(reverse("registry:blocking_select"), {"kind": "iban", "all": "1", "language": "kk"})
    assert response.status_code == 200
    assert list(BlockingRequest.objects.values_list("addressee__code", "language")) == [("bank-halyk", "kk")]
    draft = BlockingRequest.objects.get()
    assert reverse("registry:request", args=[draft.pk]) in response.content.decode()
    assert draft.addressee == Organisation.objects.get(code="bank-halyk")


def test_the_list_of_requests_reads_in_the_same_queries_whatever_their_number(login, persona):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sent(persona, "halyk", "kaspi", "card", "site", "telegram")
    client = login("analyst")  # after the personas are made: making one again resets its password

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("registry:requests")).status_code == 200
        return len(captured)

    many = queries()
    BlockingRequest.objects.exclude(addressee__code="bank-halyk").delete()
    assert BlockingRequest.objects.count() == 1 and queries() == many


def test_the_rows_behind_a_block_show_the_indicator_masked_never_a_reporter(persona):
    from reporting.figures import rows_behind

    with facts.clock(facts.local(2025, 4, 1, 10)):
        antifraud = sent(persona, "card")["nbk-antifraud"]
    item = antifraud.items.get()
    with facts.clock(facts.local(2025, 4, 9, 10)):
        services.blocking_items_answer(
            actor=persona("analyst"),  # recording the centre's answer sent on paper
            request=antifraud,
            answers=[services.Answer(item.pk, "blocked", date(2025, 4, 8), Decimal("990"))],
        )
    with facts.clock(facts.local(2025, 7, 2, 10)):
        services.blocking_items_answer(
            actor=persona("analyst"), request=antifraud, answers=[services.Answer(item.pk, "block_expired")]
        )
    assert BlockingItem.objects.get(pk=item.pk).ended_on == date(2025, 7, 2)
    request = Request.make(region=facts.region(), start=date(2025, 4, 1), end=date(2025, 4, 30), as_of=date(2025, 8, 1))
    rows, count = rows_behind(request, "fraud.accounts.blocked")
    assert count == 1 and rows[0]["shown"].startswith("400000") and CARD not in rows[0]["shown"]
    assert rows[0]["number"] == antifraud.outgoing_number and rows[0]["amount"] == "990.00" and rows[0]["days"] == 7
    assert not {"reporter", "description", "text"} & set(rows[0])
