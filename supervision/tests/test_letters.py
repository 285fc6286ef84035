"""The letter of an act in Russian or Kazakh: DOCX opened with python-docx, PDF by WeasyPrint.

The act titles and fixed phrases come from the kk and ru catalogues (pgettext "act letter title").
"""

import re
import zlib
from io import BytesIO

import pytest
from docx import Document

from conftest import client_for
from supervision.letters import act_title, letter_filename
from supervision.services import act_letter

from .factories import new_report, office, record

pytestmark = pytest.mark.django_db


def docx_text(content: bytes) -> str:
    return "\n".join(paragraph.text for paragraph in Document(BytesIO(content)).paragraphs)


def numbered(prosecutor, **overrides):
    report = new_report()
    act = record(prosecutor, reports=[report], **overrides)
    return act_letter(act=act, actor=prosecutor), report


@pytest.mark.parametrize(
    ("language", "title", "office_name", "body_name"),
    [
        ("ru", "ПРЕДСТАВЛЕНИЕ", "Прокуратура Алгинского района", "Алгинский районный отдел полиции"),
        ("kk", "ҰСЫНУ", "Алға ауданының прокуратурасы", "Алға аудандық полиция бөлімі"),
    ],
    ids=["ru", "kk"],
)
def test_it_writes_the_docx_letter_in_the_act_s_language(persona, language, title, office_name, body_name):
    prosecutor = persona("alga_prosecutor")
    act, report = numbered(prosecutor, language=language)
    response = client_for(prosecutor).get(f"/supervision/acts/{act.pk}/letter.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert response["Content-Disposition"] == f'attachment; filename="{letter_filename(act, "docx")}"'
    assert "akt-prok-alga-" in response["Content-Disposition"]
    text = docx_text(response.content)
    assert act.outgoing_number in text
    assert act_title("submission", language) == title, (
        f"translate pgettext('act letter title', 'Submission') ({language})"
    )
    assert title in text
    assert office_name in text and body_name in text
    assert "Начальнику отдела полиции Иванову И.И." in text
    assert report.reference in text
    assert "Требую устранить нарушения." in text
    assert Document(BytesIO(response.content)).core_properties.title.startswith(act.outgoing_number)


def test_it_titles_every_type_of_act():
    for act_type in (
        "protest",
        "submission",
        "order",
        "admin_resolution",
        "warning",
        "claim",
        "instruction",
        "pretrial",
    ):
        for language in ("ru", "kk"):
            title = act_title(act_type, language)
            assert title and title == title.upper()
            assert re.search(r"[А-ЯЁӘҒҚҢӨҰҮҺІ]", title), f"{act_type} in {language} is not translated: {title}"


def _streams(pdf: bytes) -> list[bytes]:
    """The PDF's compressed streams, inflated (the metadata and font maps are in them)."""
    found = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", match.end())
        try:
            found.append(zlib.decompress(pdf[match.end() : end]))
        except zlib.error:
            continue
    return found


def _pdf_titles(inflated: bytes) -> list[str]:
    """Every /Title (the document's, in its metadata, and the outline's): literal or hex UTF-16BE."""
    titles = []
    for match in re.finditer(rb"/Title\s*(\((?:[^()\\]|\\.)*\)|<[0-9a-fA-F]+>)", inflated):
        value = match.group(1)
        if value.startswith(b"<"):
            titles.append(bytes.fromhex(value[1:-1].decode()).decode("utf-16"))
        else:
            titles.append(value[1:-1].decode("latin-1"))
    return titles


def test_it_renders_the_pdf_letter_with_kazakh_letters_and_no_outside_resources(persona):
    prosecutor = persona("alga_prosecutor")
    act, _report = numbered(prosecutor, language="kk", addressee=office("akt-akimat-alga"))
    response = client_for(prosecutor).get(f"/supervision/acts/{act.pk}/letter.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{letter_filename(act, "pdf")}"'
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    inflated = b"\n".join(_streams(pdf))
    # pypdf is not installed (WeasyPrint does not need it): the number is read from the document's
    # title in its metadata (UTF-16BE), the letters from the fonts' ToUnicode maps.
    assert any(title.startswith(act.outgoing_number) for title in _pdf_titles(inflated))
    assert re.search(rb"/BaseFont /[A-Z]{6}\+DejaVu-?Serif", inflated)
    # ғ, ң (office and body names: Алға ауданының, Алға ауданының әкімдігі) and ә are drawn from real glyphs.
    for letter in "ғңә":
        assert f"<{ord(letter):04x}>".encode() in inflated.lower(), letter
    assert b"/URI" not in pdf and b"http" not in inflated


def test_it_names_the_file_after_the_number(persona):
    prosecutor = persona("alga_prosecutor")
    act, _report = numbered(prosecutor)
    assert letter_filename(act, "pdf") == act.outgoing_number.replace("/", "-") + ".pdf"
