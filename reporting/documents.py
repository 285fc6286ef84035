"""The office's results summaries: a draft written from the live figures, approved (its figures,
their definitions' versions and its text frozen), published, and the next version made from a
published one; what changed between two versions, figure by figure.

A draft's figures are computed whenever it is read (reporting.figures): the text beside them is the
analyst's, in each language (reporting.sentences). Approving computes them one last time and keeps
them, with the text as it then reads, in the version: later corrections to the records change
neither. An approved version may be sent back to a draft before it is published; a published one
never changes.
"""

import difflib
from dataclasses import asdict, dataclass
from dataclasses import fields as dataclass_fields
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import District
from accounts.scoping import work_district_ids

from . import policy
from .figures import Figure, Part, Request, Summary, compute
from .models import Metric, ResultsSummary, SummaryVersion
from .sentences import Paragraph, catalogue_text, narrative, text_problems

LANGUAGES = ("kk", "ru", "en")
State = SummaryVersion.State


class Refused(ValidationError):
    """A change the version's state or the user's role does not allow: the message says why and
    what to do instead, in the reader's language."""


# --- storing figures ----------------------------------------------------------------------------

_NUMBERS = ("value", "base", "change", "change_percent", "rate", "base_rate")


def _stored_number(value):
    return str(value) if isinstance(value, Decimal) else value


def _read_number(value):
    return Decimal(value) if isinstance(value, str) else value


def figure_stored(figure: Figure) -> dict:
    """A figure as kept in a frozen version: every field, decimals as their exact text."""
    data = asdict(figure)

    def numbers(item: dict | None):
        if item is not None:
            for name in _NUMBERS:
                if name in item:
                    item[name] = _stored_number(item[name])
        return item

    numbers(data)
    for part in [*data["by_district"], data["best"], data["worst"], *(p for ps in data["by"].values() for p in ps)]:
        numbers(part)
    return data


def figure_read(data: dict) -> Figure:
    def part(item: dict | None) -> Part | None:
        if item is None:
            return None
        known = {field.name for field in dataclass_fields(Part)}
        return Part(**{k: _read_number(v) if k in _NUMBERS else v for k, v in item.items() if k in known})

    known = {item.name for item in dataclass_fields(Figure)}
    fields = {name: _read_number(value) if name in _NUMBERS else value for name, value in data.items() if name in known}
    fields["by_district"] = [part(item) for item in data["by_district"]]
    fields["best"], fields["worst"] = part(data["best"]), part(data["worst"])
    fields["by"] = {dimension: [part(item) for item in items] for dimension, items in data["by"].items()}
    return Figure(**fields)


def _paragraphs_stored(paragraphs: list[Paragraph]) -> list[dict]:
    return [{"title": p.title, "linked": [[list(piece) for piece in s] for s in p.linked]} for p in paragraphs]


def _paragraphs_read(stored: list[dict]) -> list[Paragraph]:
    paragraphs = []
    for item in stored:
        linked = [[tuple(piece) for piece in sentence] for sentence in item["linked"]]
        sentences = ["".join(piece for piece, _code in sentence) for sentence in linked]
        paragraphs.append(Paragraph(item["title"], sentences, linked))
    return paragraphs


# --- reading a version --------------------------------------------------------------------------


def district_katos(summary: ResultsSummary) -> list[str]:
    return sorted(summary.districts.values_list("kato", flat=True))


def request_of(summary: ResultsSummary, as_of: date | None = None) -> Request:
    """What the summary computes: its region and districts (a city with its city districts), its
    period and base, as of `as_of` (default: today, or the period's end when it is over)."""
    katos = district_katos(summary)
    return Request.make(
        region=summary.region,
        start=summary.period_start,
        end=summary.period_end,
        as_of=as_of,
        base_start=summary.base_start,
        base_end=summary.base_end,
        district_ids=policy.summary_districts(None, summary.region, katos) if katos else None,
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
        return Reading(version, summary, _paragraphs_read(version.paragraphs.get(language, [])))
    summary = compute(request_of(version.summary))
    return Reading(version, summary, narrative(summary.figures, language, version.text(language) or None))


def text_for_editing(version: SummaryVersion, language: str) -> str:
    """The draft's text in a language as the analyst edits it: the catalogue's until edited."""
    return version.text(language) or catalogue_text(language)


# --- writing ------------------------------------------------------------------------------------


def _require_editor(user, version: SummaryVersion | None = None) -> None:
    if not policy.may_edit_summaries(user):
        raise PermissionDenied(_("Your role does not prepare results summaries."))
    if version is not None and version.frozen:
        raise Refused(
            _("Version %(number)s is %(state)s: it no longer changes. Make a new version from the published one.")
            % {"number": version.number, "state": version.get_state_display()}
        )


def start(user, *, title: str, region, katos: list[str], start: date, end: date, base=(None, None)) -> SummaryVersion:
    """A new summary and its first draft, within the user's remit (reporting.policy)."""
    _require_editor(user)
    region = policy.summary_region(user, region)
    policy.summary_districts(user, region, katos)  # refuses a district outside the user's remit
    remit = work_district_ids(user)
    if remit is not None and not katos:  # not the whole region's: all the districts of the user's remit
        katos = list(District.objects.filter(pk__in=remit).values_list("kato", flat=True))
    Request.make(region=region, start=start, end=end, base_start=base[0], base_end=base[1])  # refuses bad dates
    with transaction.atomic():
        summary = ResultsSummary.objects.create(
            region=region,
            title=title.strip(),
            period_start=start,
            period_end=end,
            base_start=base[0],
            base_end=base[1],
            created_by=user,
        )
        summary.districts.set(District.objects.filter(region=region, kato__in=katos))
        if remit is not None and not summary.districts.exists():
            raise PermissionDenied(_("Your remit names no district of this region: you prepare no summary of it."))
        return SummaryVersion.objects.create(summary=summary, number=1)


def save_text(version: SummaryVersion, user, language: str, text: str) -> None:
    """The analyst's text of a draft in one language, refused (with each line's problem) when a
    sentence names no metric or its grammar cannot agree."""
    _require_editor(user, version)
    codes = set(Metric.objects.current().values_list("code", flat=True))
    problems = text_problems(text, language, codes)
    if problems:
        raise Refused(problems)
    with transaction.atomic():
        locked = _locked(version)
        _require_editor(user, locked)
        for saved in (locked, version):  # the caller's copy reads as saved too
            setattr(saved, f"text_{language}", text.strip())
            saved.edited_by, saved.edited_at = user, timezone.now()
        locked.save()


def _locked(version: SummaryVersion) -> SummaryVersion:
    return SummaryVersion.objects.select_for_update().select_related("summary__region").get(pk=version.pk)


def _require_approver(user) -> None:
    if not policy.may_approve_summaries(user):
        raise PermissionDenied(_("Only the regional prosecutor or the board's secretary approves and publishes."))


def _move(version: SummaryVersion, user, *, from_state: str, refusal: str, change) -> SummaryVersion:
    """One step of the approval (an approver's, from `from_state` only), under the version's lock."""
    _require_approver(user)
    with transaction.atomic():
        version = _locked(version)
        if version.state != from_state:
            raise Refused(refusal)
        change(version)
        version.save()
    return version


def _values(summary: Summary) -> list:
    """The summary's numbers without their names: what must not differ between its languages."""
    parts = ("by_district", "best", "worst", "by")
    return [{k: v for k, v in figure_stored(f).items() if k not in ("name", "note", *parts)} for f in summary.figures]


def _in_every_language(request: Request) -> dict[str, Summary]:
    """The figures named in each language, computed once per language: records written meanwhile
    would make the languages disagree, so they are computed again until they agree."""
    for _attempt in range(3):
        summaries = {}
        for language in LANGUAGES:
            with translation.override(language):
                summaries[language] = compute(request)
        if all(_values(summary) == _values(summaries[LANGUAGES[0]]) for summary in summaries.values()):
            return summaries
    raise Refused(_("The records kept changing while the figures were being frozen: approve again."))


def _text_refusals(version: SummaryVersion) -> list[str]:
    """What no longer fills the draft's text (a metric retired since it was written), by language."""
    codes = set(Metric.objects.current().values_list("code", flat=True))
    return [
        f"{language}: {problem}"
        for language in LANGUAGES
        for problem in text_problems(version.text(language), language, codes)
    ]


def approve(version: SummaryVersion, user) -> SummaryVersion:
    """Freeze the draft: its figures computed now (named in each language), their definitions'
    versions, its text in each language as it reads with them."""
    _require_approver(user)
    version = SummaryVersion.objects.select_related("summary__region").get(pk=version.pk)  # the text as saved
    refusals = _text_refusals(version)
    if refusals:
        raise Refused(refusals)
    request = request_of(version.summary)
    summaries = _in_every_language(request)

    def freeze(version):
        version.as_of = request.as_of
        version.figures = {lang: [figure_stored(figure) for figure in summaries[lang].figures] for lang in LANGUAGES}
        version.notes = {lang: list(summaries[lang].notes) for lang in LANGUAGES}
        version.paragraphs = {
            lang: _paragraphs_stored(narrative(summaries[lang].figures, lang, version.text(lang) or None))
            for lang in LANGUAGES
        }
        version.state, version.approved_by, version.approved_at = State.APPROVED, user, timezone.now()

    return _move(version, user, from_state=State.DRAFT, refusal=_("Only a draft can be approved."), change=freeze)


def send_back(version: SummaryVersion, user) -> SummaryVersion:
    """An approved version back to a draft (its figures live again), before it is published."""

    def thaw(version):
        version.state, version.approved_by, version.approved_at = State.DRAFT, None, None
        version.as_of, version.figures, version.paragraphs, version.notes = None, {}, {}, {}

    refusal = _("Only an approved version that is not yet published can go back to a draft.")
    return _move(version, user, from_state=State.APPROVED, refusal=refusal, change=thaw)


def publish(version: SummaryVersion, user) -> SummaryVersion:
    def release(version):
        version.state, version.published_by, version.published_at = State.PUBLISHED, user, timezone.now()

    refusal = _("Approve the version first: only an approved version is published.")
    return _move(version, user, from_state=State.APPROVED, refusal=refusal, change=release)


def new_version(version: SummaryVersion, user) -> SummaryVersion:
    """The next draft of a summary, from its published version: the same text, live figures."""
    _require_editor(user)
    with transaction.atomic():
        summary = ResultsSummary.objects.select_for_update().get(pk=version.summary_id)
        if version.state == State.DRAFT:
            raise Refused(_("A new version is made from a published one: this draft can still be edited."))
        if version.state == State.APPROVED:
            raise Refused(_("Publish this approved version, or send it back to a draft, before making a new one."))
        latest = summary.versions.filter(state=State.PUBLISHED).aggregate(last=Max("number"))["last"]
        if version.number != latest:
            raise Refused(
                _("Version %(number)s is the latest published one: make the new version from it.") % {"number": latest}
            )
        if summary.versions.filter(state__in=(State.DRAFT, State.APPROVED)).exists():
            raise Refused(_("This summary already has a version in preparation: edit that one."))
        number = summary.versions.aggregate(last=Max("number"))["last"] + 1
        texts = {f"text_{language}": version.text(language) for language in LANGUAGES}
        return SummaryVersion.objects.create(summary=summary, number=number, made_from=version, **texts)


# --- differences --------------------------------------------------------------------------------


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
