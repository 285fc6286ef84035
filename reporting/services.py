"""The office's results summaries, written: a draft made and its text saved in each language,
approved (its figures, their definitions' versions and its text frozen), sent back to a draft or
published, and the next version made from the latest published one. Each step appends an event
(SummaryEvent); a refusal says why and what to do instead, in the reader's language.

A draft's figures are computed whenever it is read (reporting.selectors): the text beside them is
the analyst's (reporting.sentences). Approving computes them one last time, in each language, and
keeps them with the text as it then reads: later corrections to the records change neither. A
published version never changes.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import District
from accounts.scoping import work_district_ids

from . import policy
from .figures import Request, Summary, compute, quotes
from .frozen import figure_stored, paragraphs_stored
from .models import Metric, ResultsSummary, SummaryEvent, SummaryVersion
from .selectors import LANGUAGES, request_of
from .sentences import narrative, text_problems

State = SummaryVersion.State
Kind = SummaryEvent.Kind


class Refused(ValidationError):
    """A change the version's state does not allow: the message says why and what to do instead."""


def _event(version: SummaryVersion, kind: str, actor, **data) -> None:
    SummaryEvent.objects.create(version=version, kind=kind, actor=actor, at=timezone.now(), data=data)


def _require_editor(actor, version: SummaryVersion | None = None) -> None:
    if not policy.may_edit_summaries(actor):
        raise PermissionDenied(_("Your role does not prepare results summaries."))
    if version is not None and version.frozen:
        raise Refused(
            _("Version %(number)s is %(state)s: it no longer changes. Make a new version from the published one.")
            % {"number": version.number, "state": version.get_state_display()}
        )


def summary_start(
    *, actor, title: str, region=None, katos: list[str], start: date, end: date, base=(None, None)
) -> SummaryVersion:
    """A new summary and its first draft, within the actor's remit (reporting.policy): a district
    prosecutor's covers their districts, never the whole region."""
    _require_editor(actor)
    region = policy.summary_region(actor, region)
    policy.summary_districts(actor, region, katos)  # refuses a district outside the actor's remit
    remit = work_district_ids(actor)
    if remit is not None and not katos:
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
            created_by=actor,
        )
        summary.districts.set(District.objects.filter(region=region, kato__in=katos))
        if remit is not None and not summary.districts.exists():
            raise PermissionDenied(_("Your remit names no district of this region: you prepare no summary of it."))
        version = SummaryVersion.objects.create(summary=summary, number=1)
        _event(version, Kind.CREATED, actor)
    return version


def summary_text_save(*, actor, version: SummaryVersion, language: str, text: str) -> None:
    """The analyst's text of a draft in one language, refused (with each line's problem) when a
    sentence names no metric or its grammar cannot agree."""
    _require_editor(actor, version)
    codes = set(Metric.objects.current().values_list("code", flat=True))
    problems = text_problems(text, language, codes)
    if problems:
        raise Refused(problems)
    with transaction.atomic():
        locked = _locked(version)
        _require_editor(actor, locked)
        for saved in (locked, version):  # the caller's copy reads as saved too
            setattr(saved, f"text_{language}", text.strip())
            saved.edited_by, saved.edited_at = actor, timezone.now()
        locked.save()
        _event(locked, Kind.TEXT_SAVED, actor, language=language)


def _locked(version: SummaryVersion) -> SummaryVersion:
    return SummaryVersion.objects.select_for_update().select_related("summary__region").get(pk=version.pk)


def _require_approver(actor) -> None:
    if not policy.may_approve_summaries(actor):
        raise PermissionDenied(_("Only the regional prosecutor or the board's secretary approves and publishes."))


def _move(version: SummaryVersion, actor, *, from_state: str, refusal: str, kind: str, change) -> SummaryVersion:
    """One step of the approval (an approver's, from `from_state` only), under the version's lock."""
    _require_approver(actor)
    with transaction.atomic():
        version = _locked(version)
        if version.state != from_state:
            raise Refused(refusal)
        change(version)
        version.save()
        _event(version, kind, actor)
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


def summary_approve(*, actor, version: SummaryVersion) -> SummaryVersion:
    """Freeze the draft: its figures computed now (named in each language), their definitions'
    versions, its text in each language as it reads with them."""
    _require_approver(actor)
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
            lang: paragraphs_stored(
                narrative(summaries[lang].figures, lang, version.text(lang) or None, quotes(request, lang))
            )
            for lang in LANGUAGES
        }
        version.state, version.approved_by, version.approved_at = State.APPROVED, actor, timezone.now()

    refusal = _("Only a draft can be approved.")
    return _move(version, actor, from_state=State.DRAFT, refusal=refusal, kind=Kind.APPROVED, change=freeze)


def summary_send_back(*, actor, version: SummaryVersion) -> SummaryVersion:
    """An approved version back to a draft (its figures live again), before it is published."""

    def thaw(version):
        version.state, version.approved_by, version.approved_at = State.DRAFT, None, None
        version.as_of, version.figures, version.paragraphs, version.notes = None, {}, {}, {}

    refusal = _("Only an approved version that is not yet published can go back to a draft.")
    return _move(version, actor, from_state=State.APPROVED, refusal=refusal, kind=Kind.SENT_BACK, change=thaw)


def summary_publish(*, actor, version: SummaryVersion) -> SummaryVersion:
    def release(version):
        version.state, version.published_by, version.published_at = State.PUBLISHED, actor, timezone.now()

    refusal = _("Approve the version first: only an approved version is published.")
    return _move(version, actor, from_state=State.APPROVED, refusal=refusal, kind=Kind.PUBLISHED, change=release)


def summary_new_version(*, actor, version: SummaryVersion) -> SummaryVersion:
    """The next draft of a summary, from its latest published version: the same text, live figures."""
    _require_editor(actor)
    with transaction.atomic():
        summary = ResultsSummary.objects.select_for_update().get(pk=version.summary_id)
        version = summary.versions.get(pk=version.pk)  # as it stands under the summary's lock
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
        made = SummaryVersion.objects.create(summary=summary, number=number, made_from=version, **texts)
        _event(made, Kind.CREATED, actor, made_from=version.number)
    return made
