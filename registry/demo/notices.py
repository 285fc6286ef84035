"""Demo notices, a step of the `demo` command (after the demo indicators): a bank's CSV notice
(cp1251, semicolons, as older bank systems export) and the antifraud centre's XLSX notice for 2025,
generated in memory and imported through the real upload, mapping and reading, as an analyst does.
Each has a few invalid rows, listed on its page.

Nothing here is real: the accounts are generated with valid check digits on banks' codes from the
registry of banks (schwifty), the cards on a test BIN, the amounts and dates at random.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from schwifty import IBAN
from stdnum import luhn

from accounts.models import Organisation, Region, User
from accounts.roles import Role

from .. import services
from ..models import Notice
from ..tasks import notice_read_start

DEMO_SEED = 20250315
ROWS = 120
TEST_BIN = "400000"
HEADER_RU = ["№ п/п", "ИИК получателя", "Номер карты", "Сумма, тенге", "Дата операции", "Район", "Примечание"]
HEADER_KK = ["Р/с", "Алушының ЖСК", "Карта нөмірі", "Сомасы", "Операция күні", "Аудан", "Ескертпе"]


def _rows(rng: random.Random, region: Region, bank_codes: list[str], year_day: date) -> list[list[str]]:
    districts = list(region.districts.values_list("name_ru", flat=True)) or [""]
    rows = []
    for number in range(1, ROWS + 1):
        account = IBAN.generate("KZ", bank_code=rng.choice(bank_codes), account_code=f"{rng.randrange(10**12):013d}")
        digits = TEST_BIN + f"{rng.randrange(10**9):09d}"
        at = year_day + timedelta(days=rng.randrange(0, 300))
        amount = f"{rng.randrange(5_000, 900_000):,}".replace(",", " ") + ",00"
        iban, card = account.compact, digits + luhn.calc_check_digit(digits)
        if number % 40 == 0:
            iban = iban[:-1] + str((int(iban[-1]) + 1) % 10)  # a typo: its check digits fail
        if number % 55 == 0:
            amount = "уточняется"
        rows.append([str(number), iban, card, amount, at.strftime("%d.%m.%Y"), rng.choice(districts), "перевод"])
    return rows


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows([HEADER_RU, *rows])
    return buffer.getvalue().encode("cp1251")


def _xlsx(rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Антифрод-орталығының хабарламасы"])
    sheet.append(HEADER_KK)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def create_demo_notices(command) -> None:
    for region in Region.objects.filter(districts__isnull=False).distinct():
        if Notice.objects.filter(region=region).exists():
            command.stdout.write(f"Notices of {region.short_code} exist: skipped.")
            continue
        analyst = User.objects.filter(role=Role.ANALYST, organisation__region=region).first()
        bank = Organisation.objects.filter(type=Organisation.Type.BANK).exclude(bank_code="").order_by("code").first()
        antifraud = Organisation.objects.filter(type=Organisation.Type.ANTIFRAUD_CENTRE).first()
        if analyst is None or bank is None or antifraud is None:
            command.stdout.write(f"Notices of {region.short_code}: no analyst, bank or antifraud centre: skipped.")
            continue
        rng = random.Random(DEMO_SEED + region.pk)
        codes = list(
            Organisation.objects.filter(type=Organisation.Type.BANK)
            .exclude(bank_code="")
            .values_list("bank_code", flat=True)
        )
        files = (
            (bank, "uvedomlenie-2025.csv", _csv(_rows(rng, region, codes, date(2025, 1, 10))), "БВУ-2025/17"),
            (antifraud, "antifrod-2025.xlsx", _xlsx(_rows(rng, region, codes, date(2025, 2, 1))), "АФЦ-2025/3"),
        )
        for sender, name, content, number in files:
            notice = services.notice_upload(
                actor=analyst,
                upload=SimpleUploadedFile(name, content),
                organisation=sender,
                number=number,
                dated=date(2025, 11, 28),
            )
            notice_read_start(actor=analyst, notice=notice, mapping=notice.mapping)
            # The demo reads it at once, as the worker would (the task is enqueued too: it finds
            # the notice read and does nothing).
            services.notice_read(notice_id=notice.pk)
            notice.refresh_from_db()
            command.stdout.write(
                f"Demo notice {number} of {region.short_code}: {notice.rows_ok} rows kept, "
                f"{notice.rows_failed} with errors."
            )
