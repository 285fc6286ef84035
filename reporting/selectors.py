"""What the pages read of the office's summaries: a version's figures (live for a draft, frozen
once approved) and text in one language, and what changed between two versions, figure by
figure and sentence by sentence. Writes are reporting.services'."""

import difflib
from dataclasses import dataclass
from datetime import date

from . import policy
from .figures import Figure, Request, Summary, compute, quotes
from .frozen import figure_read, paragraphs_read
from .models import ResultsSummary, SummaryVersion
from .sentences import Paragraph, catalogue_text, narrative

LANGUAGES = ("kk", "ru", "en")


def district_katos(summary: ResultsSummary) -> list[str]:
    return sorted(summary.districts.values_list("kato", flat=True))


def summary_request(
    user, *, start: date, end: date, katos=(), region=None, as_of=None, base_start=None, base_end=None
) -> Request:
    """A summary of the user's region (or `region`, for those who may choose it) and the districts
    of `katos` (none: all the user may read; a city brings its city districts), refused outside the
    user's remit (reporting.policy); `user` None: the administrator's, as the command line's."""
    region = policy.summary_region(user, region)
    return Request.make(
        region=region,
        start=start,
        end=end,
        as_of=as_of,
        base_start=base_start,
        base_end=base_end,
        district_ids=policy.summary_districts(user, region, list(katos)),
    )


def request_of(summary: ResultsSummary, as_of: date | None = None) -> Request:
    """What the summary computes: its region and districts, its period and base, as of `as_of`
    (default: today, or the period's end when it is over)."""
    return summary_request(
        None,
        region=summary.region,
        katos=district_katos(summary),
        start=summary.period_start,
        end=summary.period_end,
        as_of=as_of,
        base_start=summary.base_start,
        base_end=summary.base_end,
    )


@dataclass
class Reading:
    """A version as a page shows it: its figures (live for a draft, frozen otherwise) and its text
    in one language."""

    version: SummaryVersion
    summary: Summary
    paragraphs: list[Paragraph]


def frozen_figures(version: SummaryVersion, language: str) -> list[Figure]:
    """A frozen version's figures as they were named in `language` when it was approved."""
    return [figure_read(item) for item in version.figures.get(language, [])]


def read(version: SummaryVersion, language: str) -> Reading:
    if version.frozen:
        request = request_of(version.summary, version.as_of)
        summary = Summary(request, frozen_figures(version, language), list(version.notes.get(language, [])), 0)
        return Reading(version, summary, paragraphs_read(version.paragraphs.get(language, [])))
    request = request_of(version.summary)
    summary = compute(request)
    paragraphs = narrative(summary.figures, language, version.text(language) or None, quotes(request, language))
    return Reading(version, summary, paragraphs)


def text_for_editing(version: SummaryVersion, language: str) -> str:
    """The draft's text in a language as the analyst edits it: the catalogue's until edited."""
    return version.text(language) or catalogue_text(language)


@dataclass(frozen=True)
class Difference:
    code: str
    name: str
    unit: str
    before: object
    after: object
    before_version: int | None
    after_version: int | None

    @property
    def change(self):
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def differences(before: list[Figure], after: list[Figure]) -> list[Difference]:
    """The figures whose value or definition's version differs between two versions (a figure only
    one of them has included), in the later one's order."""
    old = {figure.code: figure for figure in before}
    new = {figure.code: figure for figure in after}
    found = []
    for code in [*new, *(code for code in old if code not in new)]:
        was, now = old.get(code), new.get(code)
        pair = (was.value if was else None, now.value if now else None)
        versions = (was.version if was else None, now.version if now else None)
        if pair[0] != pair[1] or versions[0] != versions[1]:
            named = now or was
            found.append(Difference(code, named.name, named.unit, *pair, *versions))
    return found


def text_differences(before: list[Paragraph], after: list[Paragraph]) -> tuple[list[str], list[str]]:
    """The sentences one version's text has and the other's lacks: (left out, added). Sentences are
    compared with their figures masked, so that a number the records moved is not a text change
    (the figures' differences say it)."""

    def sentences(paragraphs):
        return [
            ("".join(f"{{{code}}}" if code else piece for piece, code in linked), text)
            for paragraph in paragraphs
            for linked, text in zip(paragraph.linked, paragraph.sentences, strict=True)
        ]

    old, new = sentences(before), sentences(after)
    matcher = difflib.SequenceMatcher(a=[mask for mask, _ in old], b=[mask for mask, _ in new], autojunk=False)
    removed, added = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed.extend(text for _mask, text in old[i1:i2])
        if tag in ("replace", "insert"):
            added.extend(text for _mask, text in new[j1:j2])
    return removed, added


def previous_version(version: SummaryVersion) -> SummaryVersion | None:
    """What a version is compared with: the one it was made from, else the one before it."""
    if version.made_from_id:
        return version.made_from
    return version.summary.versions.filter(number__lt=version.number).order_by("-number").first()
