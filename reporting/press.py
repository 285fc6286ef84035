"""The press release of a published results summary, in kk, ru and en, in the shape of the office's
board press releases (shared/reference): a headline naming the office and the period; an opening
(the board, or the district-level office, summed up the period's results, the figures' "as of" day
and their comparison base); then a paragraph per area in the summary's order, each the summary's
own sentences (their figures hedged as the metric's rule says: "more than 1,000", "about 8 billion
tenge") followed by the approved highlights of the area; a closing line and the press service's.

No number is typed here: every figure comes from a metric of the catalogue through the summary's
sentences (reporting.sentences), the highlights' numbers from their records (lib.plugins
summary_quotes). The region's release is written from the version's frozen text; a district-level
office's from its own summary, computed for the same period, base and "as of" day over the districts
it serves, against its own base, with its own highlights only. What is published protects people:
an office's summary goes through reporting.publication.protected before a sentence is written.

The frame of the release (the opening, the closing) is document text in the release's language, not
interface text: it is declared here in the three languages, as the summary's sentences are
(lib.metrics.Sentence), so that a Kazakh release reads Kazakh whatever the interface catalogues hold.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import Organisation, Region
from accounts.scoping import office_district_ids
from accounts.selectors import LOCAL_OFFICE_TYPES

from .figures import Period, Request, compute_each, quotes
from .frozen import paragraphs_read
from .models import SummaryVersion
from .publication import protected
from .selectors import LANGUAGES, district_katos, request_of
from .sentences import Paragraph, narrative


@dataclass(frozen=True)
class Words:
    """A line of the release's frame in each language, its {names} filled when it is written."""

    kk: str
    ru: str
    en: str

    def __call__(self, language: str, **values) -> str:
        return getattr(self, language).format(**values)


HEADLINE = Words(
    kk="{office} {period} бойынша жұмыс қорытындыларын шығарды",
    ru="{office} подвела итоги работы за {period}",
    en="{office} summarizes the results of its work for {period}",
)
OPENING_BOARD = Words(
    kk="Прокуратура алқасының отырысында {period} бойынша жұмыс қорытындылары шығарылды.",
    ru="На заседании коллегии прокуратуры подведены итоги работы за {period}.",
    en="At a meeting of the board of the prosecutor's office, the results of its work for {period} were summed up.",
)
OPENING_OFFICE = Words(
    kk="{office} {period} бойынша жұмыс қорытындыларын шығарды.",
    ru="{office} подвела итоги работы за {period}.",
    en="{office} has summed up the results of its work for {period}.",
)
AS_OF = Words(
    kk="Көрсеткіштер {as_of} жағдай бойынша, {base} салыстырғанда келтірілген.",
    ru="Показатели приведены по состоянию на {as_of} в сравнении с {base}.",
    en="The figures are as of {as_of}, compared with {base}.",
)
SAME_PERIOD = Words(
    kk="өткен жылдың сәйкес кезеңімен",
    ru="аналогичным периодом прошлого года",
    en="the same period of the previous year",
)
CHOSEN_BASE = Words(kk="{start} – {end} кезеңімен", ru="периодом с {start} по {end}", en="{start} – {end}")
NOTHING_TO_SAY = Words(
    kk="Кезең бойынша жариялауға арналған көрсеткіштер әзірге жоқ.",
    ru="Показателей для публикации за период пока нет.",
    en="The period has no figures to publish yet.",
)
CLOSING = Words(
    kk="Аталған бағыттар бойынша жұмыс жалғасуда.",
    ru="Работа по указанным направлениям продолжается.",
    en="Work in these areas continues.",
)
SIGNATURE = Words(kk="Баспасөз қызметі: {office}", ru="Пресс-служба: {office}", en="Press service: {office}")

# The board's usual periods (1 January to the end of a quarter), by their last month.
USUAL_PERIODS = {
    3: Words(kk="{year} жылдың бірінші тоқсаны", ru="I квартал {year} года", en="the first quarter of {year}"),
    6: Words(kk="{year} жылдың бірінші жартыжылдығы", ru="первое полугодие {year} года", en="the first half of {year}"),
    9: Words(kk="{year} жылдың 9 айы", ru="9 месяцев {year} года", en="9 months of {year}"),
    12: Words(kk="{year} жыл", ru="{year} год", en="{year}"),
}
OTHER_PERIOD = Words(kk="{start} – {end} кезеңі", ru="период с {start} по {end}", en="the period {start} – {end}")
# How the published documents write a day (the reference documents' 16.10.2025).
DAY_FORMAT = "%d.%m.%Y"
TERMINAL = (".", "!", "?", "…", "»", "”", '"')


class NotPublished(ValidationError):
    """A press release asked of a version that is not published: the message says what to do."""


def require_published(version: SummaryVersion) -> None:
    if version.state != SummaryVersion.State.PUBLISHED:
        raise NotPublished(
            _("Press releases are written from a published summary: version %(number)s is %(state)s. Publish it first.")
            % {"number": version.number, "state": version.get_state_display()}
        )


@dataclass
class Draft:
    """A release's text in each language, and what it was written from (PressRelease.sources)."""

    headlines: dict[str, str]
    bodies: dict[str, str]
    sources: dict = field(default_factory=dict)


# --- names -----------------------------------------------------------------------------------------


def day_text(day: date) -> str:
    return day.strftime(DAY_FORMAT)


def period_text(period: Period, language: str) -> str:
    """The period as the press releases name it: "9 months of 2025", "the year 2025" for the board's
    usual periods, its two days otherwise."""
    start, end = period.start, period.end
    next_day = end + timedelta(days=1)
    if start == date(start.year, 1, 1) and end.year == start.year and next_day.day == 1:
        usual = USUAL_PERIODS.get(end.month)
        if usual is not None:
            return usual(language, year=start.year)
    return OTHER_PERIOD(language, start=day_text(start), end=day_text(end))


def base_text(request: Request, language: str) -> str:
    if not request.chosen_base:
        return SAME_PERIOD(language)
    return CHOSEN_BASE(language, start=day_text(request.base.start), end=day_text(request.base.end))


def regional_office(region: Region) -> Organisation | None:
    return (
        Organisation.objects.filter(region=region, type=Organisation.Type.REGIONAL_OFFICE, is_active=True)
        .order_by("id")
        .first()
    )


def office_name(office: Organisation | None, region: Region, language: str) -> str:
    """The office as a sentence starts with it: its name in the language (another's when it has
    none), "The …" in English; the region's own name when it has no regional office on record."""
    name = (office.localized("name", language) if office is not None else "") or region.localized("name", language)
    if language == "en" and not name.lower().startswith("the "):
        name = f"The {name}"
    return name


def file_code(office: Organisation | None, region: Region) -> str:
    """The code a release's files are named by: its office's (the region's: its regional office's)."""
    office = office or regional_office(region)
    return office.code if office is not None else region.short_code.lower()


# --- the offices -----------------------------------------------------------------------------------


def district_offices(version: SummaryVersion) -> list[tuple[Organisation, frozenset[int]]]:
    """The district-level prosecutor's offices (city, city district, district) of the summary's region
    whose districts it covers, each with the districts it serves (a city office: with the city's
    districts), by code. An office that serves no district has no figures of its own: left out."""
    summary = version.summary
    covered = None
    if district_katos(summary):
        covered = set(summary.districts.values_list("id", flat=True))
        covered |= set(summary.districts.model.objects.filter(parent_id__in=covered).values_list("id", flat=True))
    offices = Organisation.objects.filter(
        region_id=summary.region_id, kind=Organisation.Kind.PROSECUTOR_OFFICE, type__in=LOCAL_OFFICE_TYPES
    ).filter(is_active=True)
    found = []
    for office in offices.order_by("code"):
        served = frozenset(office_district_ids(office))
        if served and (covered is None or served <= covered):
            found.append((office, served))
    return found


def office_request(version: SummaryVersion, district_ids: frozenset[int]) -> Request:
    """The office's own summary: the version's period, base and "as of" day, over its districts."""
    summary = version.summary
    return Request.make(
        region=summary.region,
        start=summary.period_start,
        end=summary.period_end,
        as_of=version.as_of,
        base_start=summary.base_start,
        base_end=summary.base_end,
        district_ids=district_ids,
    )


# --- the text --------------------------------------------------------------------------------------


def _said(text: str) -> str:
    text = " ".join(text.split())
    return text if not text or text.endswith(TERMINAL) else f"{text}."


def area_paragraph(paragraph: Paragraph) -> str:
    """An area's paragraph as the press releases write it: its sentences, then its highlights, as
    prose (a release has no headings)."""
    said = [*paragraph.sentences, *(quote["text"] for quote in paragraph.quotes)]
    return " ".join(_said(text) for text in said if text.strip())


def written_from(paragraphs: dict[str, list[Paragraph]], request: Request) -> dict:
    """The release's provenance: the metrics its sentences say, the highlights it quotes, the
    districts and the "as of" day."""
    codes = sorted(
        {
            code
            for language_paragraphs in paragraphs.values()
            for paragraph in language_paragraphs
            for parts in paragraph.linked
            for _piece, code in parts
            if code
        }
    )
    links = sorted({q.get("link", "") for p in paragraphs.get("en", []) for q in p.quotes if q.get("link")})
    return {
        "as_of": request.as_of.isoformat(),
        "district_ids": sorted(request.district_ids) if request.district_ids is not None else None,
        "metrics": codes,
        "quotes": links,
    }


def release_text(
    paragraphs: list[Paragraph],
    request: Request,
    language: str,
    *,
    office: Organisation | None,
    press_office: Organisation | None,
) -> tuple[str, str]:
    """(headline, body) in `language`: the opening, an area per paragraph, the closing."""
    region = request.region
    period = period_text(request.period, language)
    name = office_name(office or press_office, region, language)  # the region's: its regional office
    headline = HEADLINE(language, office=name, period=period)
    if office is None:
        opening = OPENING_BOARD(language, period=period)
    else:
        opening = OPENING_OFFICE(language, office=name, period=period)
    opening = f"{opening} {AS_OF(language, as_of=day_text(request.as_of), base=base_text(request, language))}"
    areas = [text for text in (area_paragraph(paragraph) for paragraph in paragraphs) if text]
    closing = CLOSING(language) if areas else NOTHING_TO_SAY(language)
    signature = SIGNATURE(language, office=office_name(press_office, region, language).removeprefix("The "))
    return headline, "\n\n".join([opening, *areas, closing, signature])


def _draft(version: SummaryVersion, paragraphs: dict, request: Request, office: Organisation | None) -> Draft:
    press_office = regional_office(request.region)
    headlines, bodies = {}, {}
    for language in LANGUAGES:
        headlines[language], bodies[language] = release_text(
            paragraphs[language], request, language, office=office, press_office=press_office
        )
    return Draft(headlines, bodies, written_from(paragraphs, request))


def region_draft(version: SummaryVersion) -> Draft:
    """The region's release (or that of the districts the summary covers): the version's frozen
    text in each language, its figures and highlights as they were published."""
    require_published(version)
    request = request_of(version.summary, version.as_of)
    paragraphs = {language: paragraphs_read(version.paragraphs.get(language, [])) for language in LANGUAGES}
    return _draft(version, paragraphs, request, None)


def office_drafts(version: SummaryVersion) -> list[tuple[Organisation, Draft]]:
    """Every district-level office's release (district_offices), their summaries computed together
    (reporting.figures.compute_each: each metric group read once for the region, not once an office)."""
    require_published(version)
    offices = district_offices(version)
    summaries = compute_each([office_request(version, served) for _office, served in offices])
    return [
        (office, _office_draft(version, office, summary))
        for (office, _served), summary in zip(offices, summaries, strict=True)
    ]


def _office_draft(version: SummaryVersion, office: Organisation, summary) -> Draft:
    request = summary.request
    # What is published protects people (reporting.publication); the figures' values do not depend
    # on the language they are named in: computed once.
    summary = protected(summary)
    paragraphs = {
        language: narrative(summary.figures, language, version.text(language) or None, quotes(request, language))
        for language in LANGUAGES
    }
    return _draft(version, paragraphs, request, office)
