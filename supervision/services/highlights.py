"""Writes of highlights for publication: written and changed by a prosecutor who reads the record
(drafts only), approved for publication (or refused, with the reason) by a prosecutor of the
record's office or of the regional office, withdrawn by the same. Who may is
supervision.highlights' (may_write, may_approve); what a text may say too (text_problems,
publication_problems).

Every function is keyword-only, runs in one transaction, takes `actor=` and appends a
HighlightEvent; a refused approval appends its REFUSED event (with the reasons, personal data
masked) and then raises. `now=` is for the demo only (its highlights dated in 2025).
"""

from datetime import date as Date
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.zones import local_date, region_id_zone
from lib.metrics import Area

from ..highlights import (
    LANGUAGES,
    default_area,
    may_approve,
    may_write,
    publication_problems,
    record_kind,
    record_office_id,
    text_problems,
)
from ..models import Highlight, HighlightEvent

Kind = HighlightEvent.Kind
Status = Highlight.Status
TEXT_MAX = Highlight._meta.get_field("text_ru").max_length


class Refused(ValidationError):
    """A highlight the rules refuse (its texts, its state, personal data): the messages say why."""


def _event(highlight: Highlight, kind: str, actor, now, **data) -> HighlightEvent:
    return HighlightEvent.objects.create(highlight=highlight, kind=kind, actor=actor, at=now, data=data)


def _texts(text_kk: str, text_ru: str, text_en: str) -> dict[str, str]:
    return {"kk": (text_kk or "").strip(), "ru": (text_ru or "").strip(), "en": (text_en or "").strip()}


def _check(record, *, area: str, on, texts: dict[str, str], now: datetime) -> None:
    problems = []
    if area not in Area.values:
        problems.append(_("Choose the area of the summary the highlight belongs to."))
    if not isinstance(on, Date):
        problems.append(_("Enter the highlight's date."))
    elif on > local_date(now, region_id_zone(record.region_id)):
        problems.append(_("The highlight's date cannot be in the future."))
    for language in LANGUAGES:
        if len(texts[language]) > TEXT_MAX:
            problems.append(_("A text has at most %(limit)d characters.") % {"limit": TEXT_MAX})
            break
    problems += text_problems(record, texts)
    if problems:
        raise Refused(problems)


def _require_writer(actor, record) -> None:
    if not may_write(actor, record):
        raise PermissionDenied(_("Only a prosecutor who reads the record writes highlights about it."))


def _require_approver(actor, record) -> None:
    if not may_approve(actor, record):
        raise PermissionDenied(
            _("Only a prosecutor of the record's office or of the regional office approves or withdraws it.")
        )


def _or_current(given: str | None, current: str) -> str:
    return current if given is None else given


def _locked(highlight: Highlight) -> Highlight:
    return Highlight.objects.select_for_update().get(pk=highlight.pk)


@transaction.atomic
def highlight_write(
    *,
    actor,
    record,
    on: Date,
    text_kk: str,
    text_ru: str,
    text_en: str,
    area: str = "",
    now: datetime | None = None,
) -> Highlight:
    """A draft highlight about `record` (a criminal case, an act, an investment project or a social
    facility), its numbers placeholders bound to the record (supervision.highlights). `area`: the
    summary's section; by default the record's (default_area)."""
    _require_writer(actor, record)
    texts = _texts(text_kk, text_ru, text_en)
    area = area or default_area(record)
    now = now or timezone.now()
    _check(record, area=area, on=on, texts=texts, now=now)
    highlight = Highlight.objects.create(
        region_id=record.region_id,
        office_id=record_office_id(record),
        area=area,
        on=on,
        **{record_kind(record): record},
        **{f"text_{language}": texts[language] for language in LANGUAGES},
        created_by=actor,
        created_at=now,
    )
    _event(highlight, Kind.WRITTEN, actor, now, record=record_kind(record), record_id=record.pk)
    return highlight


@transaction.atomic
def highlight_change(
    *,
    actor,
    highlight: Highlight,
    on: Date | None = None,
    area: str | None = None,
    text_kk: str | None = None,
    text_ru: str | None = None,
    text_en: str | None = None,
    now: datetime | None = None,
) -> Highlight:
    """Change a draft (or a withdrawn highlight, which becomes a draft again): an approved one is
    withdrawn first, so that what was published is never changed under its approval."""
    locked = _locked(highlight)
    record = locked.record
    _require_writer(actor, record)
    if locked.status == Status.APPROVED:
        raise Refused(_("The highlight is approved for publication: withdraw it before changing it."))
    given = {"kk": text_kk, "ru": text_ru, "en": text_en}
    texts = _texts(*(_or_current(given[lang], getattr(locked, f"text_{lang}")) for lang in LANGUAGES))
    values = {"on": locked.on if on is None else on, "area": locked.area if area is None else area}
    now = now or timezone.now()
    _check(record, area=values["area"], on=values["on"], texts=texts, now=now)
    values.update({f"text_{language}": texts[language] for language in LANGUAGES})
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    if locked.status == Status.WITHDRAWN:
        values["status"] = Status.DRAFT
        changed.append("status")
    if not changed:
        return highlight
    for name in changed:
        setattr(locked, name, values[name])
        setattr(highlight, name, values[name])
    locked.save(update_fields=changed)
    _event(locked, Kind.CHANGED, actor, now, fields=changed)
    return highlight


def highlight_approve(*, actor, highlight: Highlight, now: datetime | None = None) -> Highlight:
    """Approve a draft for publication after the checks (supervision.highlights
    publication_problems: an IIN, a phone number, a person's name where the record concerns a
    minor, the placeholders' rule). A refusal is kept as a REFUSED event with its reasons (personal
    data masked), then raised as Refused."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Highlight.objects.select_for_update().get(pk=highlight.pk)
        record = locked.record
        _require_approver(actor, record)
        if locked.status != Status.DRAFT:
            raise Refused(_("Only a draft is approved: change a withdrawn highlight first."))
        problems = publication_problems(locked)
        if problems:
            _event(locked, Kind.REFUSED, actor, now, reasons=problems)
        else:
            locked.status, locked.approved_by, locked.approved_at = Status.APPROVED, actor, now
            locked.save(update_fields=["status", "approved_by", "approved_at"])
            _event(locked, Kind.APPROVED, actor, now)
    if problems:
        raise Refused(problems)
    highlight.status, highlight.approved_by, highlight.approved_at = locked.status, actor, now
    return highlight


@transaction.atomic
def highlight_withdraw(*, actor, highlight: Highlight, reason: str = "", now: datetime | None = None) -> Highlight:
    """Withdraw an approved highlight from publication: summaries computed from now on no longer
    quote it (frozen summary versions keep what they quoted)."""
    locked = _locked(highlight)
    _require_approver(actor, locked.record)
    if locked.status != Status.APPROVED:
        raise Refused(_("Only an approved highlight is withdrawn."))
    locked.status = highlight.status = Status.WITHDRAWN
    locked.save(update_fields=["status"])
    _event(locked, Kind.WITHDRAWN, actor, now or timezone.now(), reason=(reason or "").strip()[:500])
    return highlight


def highlight_publish(
    *, actor, record, on: Date, text_kk: str, text_ru: str, text_en: str, area: str = "", now: datetime | None = None
) -> Highlight:
    """Write and approve in one step (the demo's highlights of 2025): the same checks, the same
    events; Refused when a check fails (nothing written then)."""
    with transaction.atomic():
        highlight = highlight_write(
            actor=actor, record=record, on=on, text_kk=text_kk, text_ru=text_ru, text_en=text_en, area=area, now=now
        )
        _require_approver(actor, record)
        problems = publication_problems(highlight)
        if problems:
            raise Refused(problems)
        return highlight_approve(actor=actor, highlight=highlight, now=now)
