"""The banks' and the antifraud centre's notices: a file uploaded, read correctly in each encoding,
delimiter and format, or refused with a clear message (a zip bomb, merged cells, wrong columns, a
file over the cap, a file of another kind, the same file twice); each valid row a sighting, each
invalid row's errors kept; a reading run twice writing nothing twice; the pages for each persona."""

import csv
import io
import random
import re
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook
from schwifty import IBAN
from stdnum import luhn

from accounts.models import Organisation, Region, User
from accounts.zones import region_zone
from lib.crypto import keyed_hash
from lib.money import parse_tenge
from registry import services
from registry.indicators import Kind, normalize
from registry.models import (
    IgnoredValue,
    Indicator,
    IndicatorEvent,
    IndicatorLink,
    Notice,
    NoticeEvent,
    NoticeRow,
    Sighting,
)
from registry.tasks import notice_read_start, read_notice

pytestmark = pytest.mark.django_db

ALGA = "153200000"
HEADER = ["№", "ИИК / IBAN", "Номер карты", "ИИН держателя", "Сумма", "Дата операции", "Район", "Примечание"]


@pytest.fixture(autouse=True)
def _notices_in_a_temporary_folder(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "notices": {
            "BACKEND": "lib.storages.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "notices")},
        },
    }


@pytest.fixture
def login(login):
    """The pages in English (the default language is Kazakh), unless a test asks for another."""

    def _login(username: str, language: str = "en"):
        client = login(username)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        return client

    return _login


def account(number: int) -> str:
    return IBAN.generate("KZ", bank_code="601", account_code=f"{number:013d}").compact


def card(number: int) -> str:
    digits = f"400000{number:09d}"
    return digits + luhn.calc_check_digit(digits)


def valid_iin() -> str:
    """Born 1 January 1990, a man of the 20th century, with its check digit."""
    from registry.indicators import _check_digit

    digits = "90010130001"
    return digits + str(_check_digit(digits + "0"))


def table(rows=3, bad=()):
    """The header and `rows` rows; the row numbers in `bad` (1-based, among the data rows) with an
    invalid IBAN."""
    lines = [HEADER]
    for n in range(1, rows + 1):
        iban = "KZ00BAD" if n in bad else account(n)
        lines.append([str(n), iban, card(n), valid_iin() if n == 1 else "", "59 500,00", "15.03.2025", "Алга", f"п{n}"])
    return lines


def as_csv(lines, delimiter=",", encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(lines)
    return buffer.getvalue().encode(encoding)


def as_xlsx(lines, prepare=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for line in lines:
        sheet.append(line)
    if prepare:
        prepare(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def halyk():
    return Organisation.objects.get(code="bank-halyk")


def upload(persona, content: bytes, name="notice.csv", username="analyst", organisation=None, **fields):
    return services.notice_upload(
        actor=persona(username),
        upload=SimpleUploadedFile(name, content),
        organisation=organisation or halyk(),
        **fields,
    )


def read(persona, notice, mapping=None, username="analyst"):
    """The mapping saved (the task enqueued), then the enqueued task run as the worker runs it."""
    notice_read_start(actor=persona(username), notice=notice, mapping=mapping or notice.mapping)
    rows = DBTaskResult.objects.filter(task_path="registry.tasks.read_notice")
    for row in rows:
        if row.args_kwargs["args"] == [notice.pk]:
            read_notice.call(*row.args_kwargs["args"])
    notice.refresh_from_db()
    return notice


def refused(persona, content, name="notice.csv") -> str:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        upload(persona, content, name)
    assert not Notice.objects.exists()
    return " ".join(error.value.messages)


# --- reading each kind of file ---------------------------------------------------------------------


def test_it_reads_a_csv_guesses_its_columns_and_makes_each_row_sightings(persona):
    notice = upload(persona, as_csv(table(3)), number="17-05/123", dated=date(2025, 3, 20))
    assert notice.file_type == "csv" and notice.delimiter == "," and notice.rows_total == 3
    assert notice.mapping == ["", "iban", "card", "iin", "amount", "date", "district", "note"]
    notice = read(persona, notice)
    assert [e.text for e in notice.errors.all()] == []
    assert (notice.status, notice.rows_read, notice.rows_ok, notice.rows_failed) == ("done", 3, 3, 0)
    assert notice.sightings_count == 7  # three accounts, three cards, one IIN
    sightings = Sighting.objects.filter(context=f"notice:{notice.pk}:2")
    assert {s.indicator.kind for s in sightings} == {"iban", "card", "iin"}
    by_kind = {s.indicator.kind: s for s in sightings}
    assert by_kind["iban"].amount == Decimal("59500.00") and by_kind["card"].amount is None  # once a row
    assert by_kind["iban"].source == Sighting.Source.BANK_NOTICE and by_kind["iban"].note == "п1"
    assert by_kind["iban"].district.kato == ALGA
    local = by_kind["iban"].at.astimezone(region_zone(notice.region))
    assert (local.date(), local.hour) == (date(2025, 3, 15), 0)  # the region's midnight
    iban = Indicator.objects.get(kind=Kind.IBAN, value=account(1))
    assert iban.events.filter(kind="found").count() == 1 and iban.bank.code == "bank-halyk"
    assert list(notice.events.values_list("kind", flat=True)) == ["uploaded", "started", "read"]


def test_a_rows_values_are_linked_in_a_network_as_the_notice_is_read(persona):
    """A row's account, card and holder's IIN are one network, linked as the batch is written; the
    values of different rows are not linked."""
    read(persona, upload(persona, as_csv(table(2))))
    iban, first_card, iin = (
        Indicator.objects.get(kind=Kind.IBAN, value=account(1)),
        Indicator.objects.get(kind=Kind.CARD, value_hash__in=normalize(Kind.CARD, card(1)).hashes),
        Indicator.objects.get(kind=Kind.IIN),
    )
    pairs = {frozenset((link.a_id, link.b_id)) for link in IndicatorLink.objects.all()}
    assert {
        frozenset((iban.pk, first_card.pk)),
        frozenset((iban.pk, iin.pk)),
        frozenset((first_card.pk, iin.pk)),
    } <= pairs
    second_account = Indicator.objects.get(kind=Kind.IBAN, value=account(2))
    assert frozenset((iban.pk, second_account.pk)) not in pairs
    iban.refresh_from_db()
    assert iban.network is not None and iban.network == Indicator.objects.get(pk=iin.pk).network


def assert_networks_sound(hub_links: int) -> None:
    """What the links say, the indicators hold: each one's link count, its component's label (a
    member's id, none for a hub or an indicator without links), the size on the label's row."""
    ids = set(Indicator.objects.values_list("pk", flat=True))
    pairs = list(IndicatorLink.objects.values_list("a_id", "b_id"))
    # The bulk tables' keys have no database constraint (registry.models.indicators): none points nowhere.
    assert {pk for pair in pairs for pk in pair} <= ids
    assert set(Sighting.objects.values_list("indicator_id", flat=True)) <= ids
    assert set(IndicatorEvent.objects.values_list("indicator_id", flat=True)) == ids  # each found once at least
    counts = dict.fromkeys(ids, 0)
    for a, b in pairs:
        counts[a] += 1
        counts[b] += 1
    parent = {pk: pk for pk in ids if counts[pk] <= hub_links}

    def root(pk):
        while parent[pk] != pk:
            pk = parent[pk]
        return pk

    for a, b in pairs:
        if a in parent and b in parent:
            parent[root(a)] = root(b)
    stored = {row["pk"]: row for row in Indicator.objects.values("pk", "links", "network", "network_size")}
    assert {pk: row["links"] for pk, row in stored.items()} == counts
    components: dict[int, set] = {}
    for pk in parent:
        if counts[pk]:
            components.setdefault(root(pk), set()).add(pk)
    labels = {}
    for members in components.values():
        (label,) = {stored[pk]["network"] for pk in members}  # one label a component
        assert label in members and stored[label]["network_size"] == len(members)
        labels[label] = members
    assert len(labels) == len(components)  # distinct components, distinct labels
    unlabelled = {pk for pk in ids if not any(pk in members for members in components.values())}
    assert all(stored[pk]["network"] is None for pk in unlabelled)
    assert sum(row["network_size"] for row in stored.values()) == sum(len(m) for m in components.values())


def test_a_notice_joining_known_networks_writes_each_indicator_once_as_linking_would(persona, settings):
    """Rows joining networks known before the notice, a value seen in several rows of a batch, and
    a value that becomes a hub within its batch: counts, labels and sizes come out as the links say."""
    settings.REGISTRY_HUB_LINKS = 4
    region = Region.objects.get(pk=persona("analyst").organisation.region_id)
    for number in (101, 102):  # two networks of two, from earlier sightings
        for found in (normalize(Kind.IBAN, account(number)), normalize(Kind.CARD, card(number))):
            services.indicator_take(
                actor=None, found=found, source="manual", region=region, at=timezone.now(), context=f"earlier:{number}"
            )
    hotline = card(900)
    lines = [
        HEADER,
        ["1", account(101), card(1), "", "1 000,00", "15.03.2025", "Алга", ""],
        ["2", account(102), card(1), "", "1 000,00", "15.03.2025", "Алга", ""],  # joins the two networks
        ["3", account(3), card(3), "", "1 000,00", "15.03.2025", "Алга", ""],
        *[[str(n), account(n), hotline, "", "1 000,00", "15.03.2025", "Алга", ""] for n in range(4, 10)],
        ["10", account(101), card(3), "", "1 000,00", "15.03.2025", "Алга", ""],  # a known value, later batch
    ]
    notice = upload(persona, as_csv(lines))
    notice_read_start(actor=persona("analyst"), notice=notice, mapping=notice.mapping)
    assert services.notice_read(notice_id=notice.pk, batch_size=3) == 10
    assert_networks_sound(hub_links=4)
    assert set(NoticeRow.objects.values_list("notice_id", flat=True)) == {notice.pk}
    joined = Indicator.objects.filter(kind=Kind.IBAN, value__in=[account(101), account(102), account(3)])
    assert len({indicator.network for indicator in joined}) == 1
    hub = Indicator.objects.get(kind=Kind.CARD, value_hash__in=normalize(Kind.CARD, hotline).hashes)
    assert hub.links == 6 and hub.network is None
    shared_card = Indicator.objects.get(kind=Kind.CARD, value_hash__in=normalize(Kind.CARD, card(1)).hashes)
    assert shared_card.events.count() == 1


def test_values_gathered_without_the_rows_taken_before_count_only_the_others():
    from registry.services.bulk import Seen, gather

    march, april = (timezone.make_aware(timezone.datetime(2025, month, 1)) for month in (3, 4))
    iban, first_card = normalize(Kind.IBAN, account(1)), normalize(Kind.CARD, card(1))
    gathered = gather(
        [
            Seen(found=iban, source="bank_notice", at=march, context="notice:1:1"),
            Seen(found=first_card, source="bank_notice", at=march, context="notice:1:1"),
            Seen(found=iban, source="bank_notice", at=april, district_id=5, context="notice:1:2"),
        ]
    )
    assert [value[7:] for value in gathered.values] == [(march, april, None), (march, march, None)]
    kept = gathered.without({"notice:1:1"})
    assert [value[:2] for value in kept.values] == [(Kind.IBAN, iban.hash)]  # the card was seen there only
    assert kept.values[0][7:] == (april, april, 5)
    assert [sighting[:7] for sighting in kept.sightings] == [(0, "bank_notice", 5, april, "", "notice:1:2", None)]


def test_known_values_in_a_notice_are_seen_again_and_an_expired_one_is_suspected_anew(persona):
    region = Region.objects.get(pk=persona("analyst").organisation.region_id)
    long_ago = timezone.make_aware(timezone.datetime(2024, 1, 10))
    for found in (normalize(Kind.IBAN, account(1)), normalize(Kind.CARD, card(1))):
        services.indicator_take(actor=None, found=found, source="manual", region=region, at=long_ago)
    expired = Indicator.objects.get(kind=Kind.CARD)
    Indicator.objects.filter(pk=expired.pk).update(status="expired", expires_at=None)
    read(persona, upload(persona, as_csv(table(1))))  # the account and the card, 15 March 2025
    account_row, card_row = Indicator.objects.get(kind=Kind.IBAN), Indicator.objects.get(pk=expired.pk)
    march = timezone.make_aware(timezone.datetime(2025, 3, 15), region_zone(region))
    assert (account_row.first_seen_at, account_row.last_seen_at) == (long_ago, march)
    assert account_row.status == "suspected" and account_row.expires_at > timezone.now()
    assert account_row.events.filter(kind="found").count() == 1  # seen again, not found again
    assert card_row.status == "suspected" and card_row.expires_at > timezone.now()
    assert card_row.secret == card(1) and card_row.last_seen_at == march
    assert card_row.events.filter(kind="found").count() == 2  # found anew once forgotten


def test_an_iin_read_from_a_notice_is_stored_encrypted(persona):
    read(persona, upload(persona, as_csv(table(1))))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT value, secret FROM registry_indicator WHERE kind = 'iin'")
        ((value, secret),) = cursor.fetchall()
    assert value == "" and valid_iin() not in secret
    assert Indicator.objects.get(kind=Kind.IIN).secret == valid_iin()


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("cp1251", ";"), ("cp1251", "\t"), ("utf-8", "\t")],
)
def test_it_reads_each_encoding_and_delimiter(persona, encoding, delimiter):
    notice = upload(persona, as_csv(table(2), delimiter=delimiter, encoding=encoding))
    assert notice.delimiter == delimiter and notice.header[1] == "ИИК / IBAN"  # the BOM dropped
    assert notice.encoding == ("cp1251" if encoding == "cp1251" else "utf-8-sig")
    notice = read(persona, notice)
    assert (notice.rows_ok, notice.rows_failed) == (2, 0)
    assert Sighting.objects.filter(context=f"notice:{notice.pk}:2", note="п1").count() == 3


def test_it_reads_an_xlsx_with_a_title_above_its_header_and_dates_as_dates(persona):
    def prepare(sheet):
        sheet.insert_rows(1, 2)
        sheet["A1"] = "Уведомление АО «Халык Банк» № 17"
        sheet.merge_cells("A1:H1")  # a merged title above the header is fine
        sheet["F4"].value = date(2025, 3, 16)

    notice = upload(persona, as_xlsx(table(3), prepare), name="notice.xlsx")
    assert notice.file_type == "xlsx" and notice.header_row == 3 and notice.rows_total == 3
    notice = read(persona, notice)
    assert (notice.rows_ok, notice.rows_failed) == (3, 0)
    first = Sighting.objects.get(context=f"notice:{notice.pk}:4", indicator__kind=Kind.IBAN)
    assert first.at.astimezone(region_zone(notice.region)).date() == date(2025, 3, 16)


def test_a_formula_without_its_value_is_an_error_of_its_row_naming_the_cell(persona):
    def prepare(sheet):
        sheet["E3"] = "=SUM(1,2)"  # openpyxl saves no cached value
        sheet["B4"] = '=HYPERLINK("http://x")'

    notice = read(persona, upload(persona, as_xlsx(table(3), prepare), name="notice.xlsx"))
    assert (notice.rows_ok, notice.rows_failed) == (1, 2)
    errors = {error.row: error.text for error in notice.errors.all()}
    assert "E3" in errors[3] and "formula" in errors[3] and "B4" in errors[4]


def test_a_csv_cell_starting_with_equals_is_text_that_fails_its_check(persona):
    lines = table(2)
    lines[2][1] = '=HYPERLINK("http://evil")'
    notice = read(persona, upload(persona, as_csv(lines)))
    assert (notice.rows_ok, notice.rows_failed) == (1, 1)
    assert "IBAN" in notice.errors.get().text and notice.errors.get().column == "ИИК / IBAN"


def test_merged_cells_in_the_rows_refuse_the_file_naming_the_range(persona):
    message = refused(persona, as_xlsx(table(3), lambda sheet: sheet.merge_cells("B3:B4")), "notice.xlsx")
    assert "merged cells (B3:B4)" in message


def test_a_zip_bomb_is_refused_before_it_is_inflated(persona):
    buffer = io.BytesIO()
    zeros = bytes(8 * 1024 * 1024)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            for _ in range(40):  # 320 MB inflated, about 300 KB packed
                entry.write(zeros)
    assert len(buffer.getvalue()) < 2 * 1024 * 1024
    message = refused(persona, buffer.getvalue(), "notice.xlsx")
    assert "compressed 2" in message and "zip bomb" in message


# An entity bomb: ten levels of ten references, 3 GB of "lol" once expanded.
BILLION_LAUGHS = '<!ENTITY lol0 "lol">' + "".join(
    f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)
)


def with_entities(content: bytes, declarations: str, reference: str) -> bytes:
    """The workbook with `declarations` in its sheet's DOCTYPE and its first text cell's text
    replaced by `reference` (an entity's use, `&lol9;`), as a crafted upload would hold them."""
    source, crafted = io.BytesIO(content), io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in original.infolist():
            data = original.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                declaration = text.index("<worksheet")
                text = f"{text[:declaration]}<!DOCTYPE worksheet [{declarations}]>{text[declaration:]}"
                text = re.sub(r"<t>[^<]*</t>", f"<t>{reference}</t>", text, count=1)
                data = text.encode()
            archive.writestr(entry, data)
    return crafted.getvalue()


@pytest.mark.parametrize(
    ("declarations", "reference"),
    [
        (BILLION_LAUGHS, "&lol9;"),
        ('<!ENTITY secret SYSTEM "file:///etc/passwd">', "&secret;"),
    ],
    ids=["billion-laughs", "external-entity"],
)
def test_a_workbook_with_entities_is_refused_unexpanded(persona, declarations, reference):
    message = refused(persona, with_entities(as_xlsx(table(3)), declarations, reference), "notice.xlsx")
    assert "could not be read past row 1" in message
    assert "root:" not in message


def test_a_workbook_unpacking_past_the_cap_is_refused(persona, settings):
    settings.REGISTRY_NOTICE_MAX_UNZIPPED_BYTES = 2 * 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", random.randbytes(3 * 1024 * 1024))  # hardly compressed
    message = refused(persona, buffer.getvalue(), "notice.xlsx")
    assert "would unpack to 3 MB, more than the 2 MB allowed" in message


def test_a_file_over_the_cap_is_refused(persona, settings):
    settings.REGISTRY_NOTICE_MAX_BYTES = 1024
    message = refused(persona, as_csv(table(40)))
    assert "more than the 0 MB allowed" in message


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (b"%PDF-1.7\n" + bytes(100), "notice.csv", "neither a CSV"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "notice.xls", "old .xls"),
        (b"PK\x03\x04 not really a zip", "notice.xlsx", "damaged zip"),
        (b"", "notice.csv", "empty"),
        (b"\x98\x98 \x81\x81,\x98\n", "notice.csv", "neither UTF-8 nor Windows-1251"),
    ],
)
def test_a_file_of_another_kind_is_refused_by_its_content(persona, content, name, says):
    assert says in refused(persona, content, name)


def test_a_zip_that_is_no_workbook_is_refused(persona):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    assert "not an Excel workbook" in refused(persona, buffer.getvalue(), "notice.xlsx")


def test_wrong_columns_are_refused_before_anything_is_read(persona):
    notice = upload(persona, as_csv([["Имя", "Город"], ["Асель", "Актобе"], ["Ерлан", "Алга"]]))
    assert notice.mapping == ["", ""]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        notice_read_start(actor=persona("analyst"), notice=notice, mapping=["", "note"])
    assert "nothing was read" in " ".join(error.value.messages)
    notice.refresh_from_db()
    assert notice.status == "uploaded" and notice.rows_read == 0
    assert not DBTaskResult.objects.filter(task_path="registry.tasks.read_notice").exists()


def test_the_same_file_twice_is_refused_naming_the_earlier_notice(persona):
    read(persona, upload(persona, as_csv(table(2)), number="17-05/123"))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        upload(persona, as_csv(table(2)), number="another")
    message = " ".join(error.value.messages)
    assert "17-05/123" in message and "adds nothing" in message
    assert Notice.objects.count() == 1


def test_a_row_already_taken_from_another_notice_adds_nothing(persona):
    first = read(persona, upload(persona, as_csv(table(3))))
    antifraud = Organisation.objects.get(code="nbk-antifraud")
    lines = table(4)
    lines[1][7] = "another note"  # the same transfer, told in other words
    second = read(persona, upload(persona, as_csv(lines, delimiter=";"), organisation=antifraud))
    assert (second.rows_ok, second.rows_repeated, second.sightings_count) == (1, 3, 2)
    assert Sighting.objects.filter(context__startswith=f"notice:{first.pk}:").count() == 7
    assert Sighting.objects.get(context=f"notice:{second.pk}:5", indicator__kind="iban").source == "antifraud_notice"


def test_two_alike_rows_of_one_notice_are_two_transfers(persona):
    """Two transfers of one amount to one account on one day, in one notice: both taken (a notice
    is refused whole when its file was read before; its own rows never repeat it)."""
    lines = table(2)
    lines.append(list(lines[1]))  # row 1 again, to the letter
    notice = read(persona, upload(persona, as_csv(lines)))
    assert (notice.rows_ok, notice.rows_repeated) == (3, 0)
    iban = Indicator.objects.get(kind=Kind.IBAN, value=account(1))
    assert iban.sightings.filter(amount=Decimal("59500.00")).count() == 2


def test_errors_are_kept_per_row_and_the_valid_rows_kept(persona):
    lines = table(5, bad={2, 4})
    lines[3][4] = "пятьсот"  # row 4 of the file: an amount that is no number
    lines[5][5] = "31.02.2025"  # row 6: no such day
    lines.append(["9", "", "", "", "100", "01.03.2025", "Алга", ""])  # names no indicator
    lines.append(["10", account(10), "", "", "100", "01.03.2025", "Атлантида", ""])
    notice = read(persona, upload(persona, as_csv(lines)))
    assert (notice.rows_read, notice.rows_ok, notice.rows_failed) == (7, 1, 6)
    errors = {(error.row, error.column): error.text for error in notice.errors.all()}
    assert "not a valid IBAN" in errors[(3, "ИИК / IBAN")] and "not a valid IBAN" in errors[(5, "ИИК / IBAN")]
    assert "not a number" in errors[(4, "Сумма")] and "not a date" in errors[(6, "Дата операции")]
    assert "names no account" in errors[(7, "")] and "No district" in errors[(8, "Район")]
    assert Sighting.objects.filter(context__startswith=f"notice:{notice.pk}:").count() == 3  # row 2's IBAN, card, IIN


def test_amounts_are_read_as_banks_write_them():
    for raw, amount in [
        ("59 500,00", "59500.00"),
        ("59,500.00", "59500.00"),
        ("59500", "59500.00"),
        ("59,500", "59500.00"),
        ("1.500.000,5 ₸", "1500000.50"),
        ("59\u00a0500 тг", "59500.00"),
        ("12,5", "12.50"),
    ]:
        assert parse_tenge(raw) == Decimal(amount), raw
    for raw in ("", "1,234.567", "-5", "abc"):
        with pytest.raises(ValueError):
            parse_tenge(raw)


def test_an_allow_listed_value_is_not_taken(persona):
    hotline = normalize(Kind.IBAN, account(1))
    IgnoredValue.objects.create(kind=Kind.IBAN, value_hash=keyed_hash(f"iban:{hotline.value}"), shown=hotline.shown)
    notice = read(persona, upload(persona, as_csv(table(2))))
    assert not Indicator.objects.filter(kind=Kind.IBAN, value=account(1)).exists()
    assert Indicator.objects.filter(kind=Kind.IBAN, value=account(2)).exists() and notice.rows_ok == 2


def test_the_task_run_twice_writes_nothing_twice_and_resumes_where_it_stopped(persona):
    notice = upload(persona, as_csv(table(5)))
    notice_read_start(actor=persona("analyst"), notice=notice, mapping=notice.mapping)
    assert services.notice_read(notice_id=notice.pk, batch_size=2) == 5
    assert read_notice.call(notice.pk) == 0  # the task put back after its worker died: done already
    notice.refresh_from_db()
    assert (notice.status, notice.rows_read, notice.rows_ok) == ("done", 5, 5)
    assert Sighting.objects.filter(context__startswith=f"notice:{notice.pk}:").count() == 11


def test_a_worker_dying_mid_file_keeps_its_batches_and_the_reading_resumes_after_them(persona, monkeypatch):
    notice = upload(persona, as_csv(table(5)))
    notice_read_start(actor=persona("analyst"), notice=notice, mapping=notice.mapping)
    calls = []

    original = services.notices.indicators_take_many

    def dies_on_the_second_batch(**kwargs):
        written = original(**kwargs)
        calls.append(written)
        if len(calls) == 2:
            raise RuntimeError("the worker's connection dropped")
        return written

    monkeypatch.setattr(services.notices, "indicators_take_many", dies_on_the_second_batch)
    with pytest.raises(RuntimeError):
        services.notice_read(notice_id=notice.pk, batch_size=2)
    notice.refresh_from_db()
    assert (notice.status, notice.rows_read, notice.rows_ok) == ("failed", 2, 2)  # the second batch rolled back
    assert Sighting.objects.filter(context__startswith=f"notice:{notice.pk}:").count() == 5
    services.notice_resume(actor=persona("analyst"), notice=notice)
    assert services.notice_read(notice_id=notice.pk, batch_size=2) == 3
    notice.refresh_from_db()
    assert (notice.status, notice.rows_read, notice.rows_ok, notice.rows_repeated) == ("done", 5, 5, 0)
    assert Sighting.objects.filter(context__startswith=f"notice:{notice.pk}:").count() == 11


def test_a_damaged_file_stops_the_reading_keeping_and_saying_what_was_read(persona):
    content = as_csv(table(4))
    notice = upload(persona, content)
    notice_read_start(actor=persona("analyst"), notice=notice, mapping=notice.mapping)
    storage = services.notices.storage()
    with storage.open(notice.file_name, "wb") as handle:  # the stored file damaged after its upload
        handle.write(content.replace(b"\r\n4,", b'\r\n"4,'))
    services.notice_read(notice_id=notice.pk, batch_size=2)
    notice.refresh_from_db()
    assert notice.status == "failed" and notice.rows_read == 2 and notice.rows_ok == 2
    assert "malformed" in notice.failure["message"] and notice.failure["params"]["line"] == 5
    assert NoticeEvent.objects.filter(notice=notice, kind="failed", data__rows_read=2).exists()


def test_progress_counts_are_kept_per_batch(persona, monkeypatch):
    notice = upload(persona, as_csv(table(5, bad={5})))
    notice_read_start(actor=persona("analyst"), notice=notice, mapping=notice.mapping)
    seen = []
    original = services.notices._write

    def after(*args):
        original(*args)
        current = Notice.objects.get(pk=notice.pk)
        seen.append((current.rows_read, current.rows_ok, current.rows_failed, current.percent))

    monkeypatch.setattr(services.notices, "_write", after)
    services.notice_read(notice_id=notice.pk, batch_size=2)
    assert seen == [(2, 2, 0, 40), (4, 4, 0, 80), (5, 4, 1, 99)]
    notice.refresh_from_db()
    assert notice.percent == 100


# --- pages and who sees them ------------------------------------------------------------------------


def test_the_analyst_uploads_maps_and_reads_a_notice_through_the_pages(login, persona):
    client = login("analyst")
    assert reverse("registry:notices") in client.get(reverse("registry:home")).content.decode()
    response = client.post(
        reverse("registry:notice_new"),
        {"organisation": halyk().pk, "number": "42", "file": SimpleUploadedFile("n.csv", as_csv(table(3)))},
    )
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("registry:notice_columns", args=[notice.pk])
    page = client.get(response["Location"]).content.decode()
    assert "ИИК / IBAN" in page and account(1) in page and "90…" in page  # the IIN masked for the analyst
    mapping = {f"column_{i}": field for i, field in enumerate(notice.mapping)}
    response = client.post(reverse("registry:notice_columns", args=[notice.pk]), mapping)
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == "reading"
    progress = client.get(reverse("registry:notice", args=[notice.pk]) + "?part=progress", HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in progress.content.decode() and "<progress" in progress.content.decode()
    read_notice.call(notice.pk)
    page = client.get(reverse("registry:notice", args=[notice.pk])).content.decode()
    assert 'value="100"' in page and "every 1s" not in page
    listing = client.get(reverse("registry:notices")).content.decode()
    assert f'href="{reverse("registry:notice", args=[notice.pk])}">42<' in listing


def test_a_wrong_mapping_is_refused_on_the_page(login):
    client = login("analyst")
    client.post(
        reverse("registry:notice_new"),
        {"organisation": halyk().pk, "file": SimpleUploadedFile("n.csv", as_csv([["a", "b"], ["1", "2"]]))},
    )
    notice = Notice.objects.get()
    page = client.get(reverse("registry:notice_columns", args=[notice.pk]))
    assert "No column's header reads as an account" in page.content.decode()
    response = client.post(reverse("registry:notice_columns", args=[notice.pk]), {"column_0": "note", "column_1": ""})
    assert response.status_code == 400 and "nothing was read" in response.content.decode()


def test_a_bad_file_is_refused_on_the_upload_page(login):
    response = login("analyst").post(
        reverse("registry:notice_new"),
        {"organisation": halyk().pk, "file": SimpleUploadedFile("n.xlsx", b"%PDF-1.4 " + bytes(10))},
    )
    assert response.status_code == 400 and "neither a CSV" in response.content.decode()
    assert not Notice.objects.exists()


def test_the_errors_are_listed_on_the_notices_page(login, persona):
    notice = read(persona, upload(persona, as_csv(table(3, bad={2}))))
    page = login("analyst").get(reverse("registry:notice", args=[notice.pk])).content.decode()
    assert "Rows not taken" in page and "not a valid IBAN" in page


def test_a_rows_error_reads_in_the_readers_language(login, persona):
    notice = read(persona, upload(persona, as_csv(table(2, bad={2}))))
    with translation.override("ru"):
        russian = gettext("This is not a valid IBAN: its format or check digits are wrong.")
    assert russian != "This is not a valid IBAN: its format or check digits are wrong."
    assert notice.errors.get().message.startswith("This is not a valid IBAN")  # kept as its msgid
    page = login("analyst", "ru").get(reverse("registry:notice", args=[notice.pk])).content.decode()
    assert russian in page


def test_the_notices_sightings_show_on_the_indicators_page(login, persona):
    notice = read(persona, upload(persona, as_csv(table(1)), number="N-7"))
    iban = Indicator.objects.get(kind=Kind.IBAN)
    page = login("regional_prosecutor").get(reverse("registry:indicator", args=[iban.pk])).content.decode()
    assert "Bank&#x27;s notice" in page and f'href="{reverse("registry:notice", args=[notice.pk])}"' in page
    assert "row 2" in page
    police = login("alga_officer").get(reverse("registry:indicator", args=[iban.pk])).content.decode()
    assert "row 2" in police and reverse("registry:notice", args=[notice.pk]) not in police  # no link: not theirs
    assert notice.rows_ok == 1


def test_the_administrator_reads_the_notices_in_the_admin_and_changes_none(login, persona):
    notice = read(persona, upload(persona, as_csv(table(2)), number="17-05/9"))
    client = login("administrator")
    listed = client.get("/admin/registry/notice/")
    assert listed.status_code == 200 and "notice.csv" in listed.content.decode()
    page = client.get(f"/admin/registry/notice/{notice.pk}/change/")
    assert page.status_code == 200 and "17-05/9" in page.content.decode()
    refused = client.post(f"/admin/registry/notice/{notice.pk}/change/", {"number": "changed"})
    assert refused.status_code == 403 and Notice.objects.get(pk=notice.pk).number == "17-05/9"
    assert client.get("/admin/registry/notice/add/").status_code == 403


@pytest.mark.parametrize("username", ["analyst", "regional_prosecutor", "department_prosecutor"])
def test_the_region_wide_roles_import_notices(login, username):
    client = login(username)
    assert client.get(reverse("registry:notices")).status_code == 200
    assert client.get(reverse("registry:notice_new")).status_code == 200


@pytest.mark.parametrize("username", ["alga_prosecutor", "alga_officer", "bank_partner", "citizen", "board_secretary"])
def test_the_others_never_see_the_notices(login, persona, username):
    notice = upload(persona, as_csv(table(2)))
    client = login(username)
    for url in (
        reverse("registry:notices"),
        reverse("registry:notice_new"),
        reverse("registry:notice", args=[notice.pk]),
        reverse("registry:notice_columns", args=[notice.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("registry:notice_read_again", args=[notice.pk])).status_code == 403
    assert client.post(reverse("registry:notice_new"), {"organisation": halyk().pk}).status_code == 403


def test_a_notice_of_another_region_is_not_found(login, persona):
    notice = upload(persona, as_csv(table(2)))
    other = Region.objects.create(kato="999999999", short_code="zz", name_en="Elsewhere")
    Notice.objects.filter(pk=notice.pk).update(region=other)
    client = login("analyst")
    for name in ("registry:notice", "registry:notice_columns"):
        assert client.get(reverse(name, args=[notice.pk])).status_code == 404
    assert client.post(reverse("registry:notice_read_again", args=[notice.pk])).status_code == 404
    assert notice.original_name not in client.get(reverse("registry:notices")).content.decode()


def test_a_stopped_reading_is_read_again_from_the_page(login, persona):
    notice = upload(persona, as_csv(table(3)))
    notice_read_start(actor=persona("analyst"), notice=notice, mapping=notice.mapping)
    Notice.objects.filter(pk=notice.pk).update(status="failed", failure={"message": notices_unexpected()})
    client = login("analyst")
    assert "unexpected error" in client.get(reverse("registry:notice", args=[notice.pk])).content.decode()
    assert client.post(reverse("registry:notice_read_again", args=[notice.pk])).status_code == 302
    read_notice.call(notice.pk)
    notice.refresh_from_db()
    assert (notice.status, notice.rows_ok) == ("done", 3)


def notices_unexpected() -> str:
    return services.notices.UNEXPECTED


def test_the_stored_file_is_never_served(login, persona, settings):
    notice = upload(persona, as_csv(table(1)))
    with pytest.raises(ValueError):
        services.notices.storage().url(notice.file_name)
    assert not str(settings.STORAGES["notices"]["OPTIONS"]["location"]).startswith(str(settings.MEDIA_ROOT))
    assert login("analyst").get(f"/media/{notice.file_name}").status_code == 404


def test_the_demo_step_imports_its_notices_once(persona):
    from registry.demo.notices import create_demo_notices

    class Command:
        stdout = io.StringIO()

    persona("analyst")
    create_demo_notices(Command())
    notices_ = Notice.objects.filter(status="done")
    assert notices_.count() == 2 and {n.file_type for n in notices_} == {"csv", "xlsx"}
    assert all(n.rows_ok > 0 and n.rows_failed > 0 for n in notices_)
    create_demo_notices(Command())
    assert Notice.objects.count() == 2


def test_the_list_of_notices_takes_as_many_queries_for_one_notice_as_for_many(login, persona):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login("analyst")
    analyst = User.objects.get(username="analyst")

    def add(rows, sender):
        services.notice_upload(
            actor=analyst, upload=SimpleUploadedFile("n.csv", as_csv(table(rows))), organisation=sender
        )

    add(1, halyk())
    client.get(reverse("registry:notices"))  # the process's caches of reference data filled
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("registry:notices")).status_code == 200
    for rows in (2, 3, 4):
        add(rows, Organisation.objects.get(code="nbk-antifraud"))
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("registry:notices")).content.decode()
    assert page.count('href="/registry/notices/') == 1 + 4  # the upload button and the four notices
    assert len(many) == len(one)
