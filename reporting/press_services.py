"""The press releases of a published summary, written: every office's drafts in one action (the
region's and every district-level office's, reporting.press), a release's texts saved, approved,
reopened. Each step appends an event (PressReleaseEvent); a refusal says why, in the reader's
language.

Writing again refreshes the drafts from the version (and from each office's records as of its
day) and keeps every approved release as it was approved: the press service approved that text.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import policy, press
from .models import PressRelease, PressReleaseEvent, ResultsSummary, SummaryVersion
from .selectors import LANGUAGES
from .services import Refused

State = PressRelease.State
Kind = PressReleaseEvent.Kind


@dataclass
class Writing:
    """What one writing of a version's releases did: the drafts written for the first time, the
    drafts written again, and the approved releases kept as they were."""

    written: list[PressRelease] = field(default_factory=list)
    refreshed: list[PressRelease] = field(default_factory=list)
    kept: list[PressRelease] = field(default_factory=list)


def _event(release: PressRelease, kind: str, actor, **data) -> None:
    PressReleaseEvent.objects.create(release=release, kind=kind, actor=actor, at=timezone.now(), data=data)


def _require_writer(actor, version: SummaryVersion) -> None:
    visible = policy.visible_summaries(actor, ResultsSummary.objects.filter(pk=version.summary_id))
    if not policy.may_write_press(actor) or not visible.exists():
        raise PermissionDenied(_("Your role does not write the press releases of this summary."))


def _require_visible(actor, release: PressRelease) -> None:
    """A release outside the actor's remit (another region's, another office's) is not theirs."""
    if not policy.visible_press_releases(actor, PressRelease.objects.filter(pk=release.pk)).exists():
        raise PermissionDenied(_("This press release is outside your remit."))


def _texts(draft: press.Draft) -> dict:
    return {
        **{f"headline_{language}": draft.headlines[language][:300] for language in LANGUAGES},
        **{f"body_{language}": draft.bodies[language] for language in LANGUAGES},
    }


def _write_one(actor, version: SummaryVersion, office, draft: press.Draft, done: Writing) -> None:
    """One office's release: made, refreshed while a draft, kept once approved."""
    now = timezone.now()
    # Locked by itself (of=self): the default ordering joins the nullable office, which PostgreSQL
    # refuses to lock; one release per (version, office), so no order is needed.
    release = PressRelease.objects.select_for_update(of=("self",)).filter(version=version, office=office).order_by()
    release = release.first()
    if release is None:
        release = PressRelease.objects.create(
            version=version, office=office, sources=draft.sources, written_at=now, **_texts(draft)
        )
        _event(release, Kind.WRITTEN, actor)
        done.written.append(release)
        return
    if release.state == State.APPROVED:
        done.kept.append(release)
        return
    for name, value in _texts(draft).items():
        setattr(release, name, value)
    release.sources, release.written_at = draft.sources, now
    release.save()
    _event(release, Kind.REWRITTEN, actor)
    done.refreshed.append(release)


def press_releases_write(*, actor, version: SummaryVersion) -> Writing:
    """The drafts of a published version's press releases: the region's (or the covered districts')
    and every district-level office's of the region, each from its own figures and highlights as
    of the version's day. Drafts written before are written again; approved releases are kept."""
    _require_writer(actor, version)
    version = SummaryVersion.objects.select_related("summary__region").get(pk=version.pk)
    press.require_published(version)
    # The texts are written first, outside the transaction: the figures are read, nothing written.
    drafts = [(None, press.region_draft(version)), *press.office_drafts(version)]
    done = Writing()
    with transaction.atomic():
        SummaryVersion.objects.select_for_update().get(pk=version.pk)  # one writing of a version at a time
        for office, draft in drafts:
            _write_one(actor, version, office, draft, done)
    return done


def _locked(release: PressRelease) -> PressRelease:
    return PressRelease.objects.select_for_update(of=("self",)).select_related("version__summary").get(pk=release.pk)


def press_release_save(*, actor, release: PressRelease, texts: dict[str, str]) -> PressRelease:
    """A release's headline and body in each language (`texts`: headline_kk, body_kk, ...; those not
    given stay). Refused when a body or a headline would be empty. An approved release edited is a
    draft again: its approval was of the text as it read."""
    if not policy.may_edit_press(actor, release):
        raise PermissionDenied(_("You may not edit this press release."))
    _require_visible(actor, release)
    names = {f"{part}_{language}" for part in ("headline", "body") for language in LANGUAGES}
    given = {
        name: " ".join(value.split()) if name.startswith("headline") else value.replace("\r\n", "\n").strip()
        for name, value in texts.items()
        if name in names
    }
    empty = [name for name, value in given.items() if not value]
    if empty:
        raise Refused(_("A press release needs a headline and a text in every language: fill in the empty ones."))
    with transaction.atomic():
        locked = _locked(release)
        changed = [name for name, value in given.items() if getattr(locked, name) != value]
        if not changed:
            return locked
        reopened = locked.state == State.APPROVED
        for name in changed:
            setattr(locked, name, given[name])
        locked.edited_by, locked.edited_at = actor, timezone.now()
        if reopened:
            locked.state, locked.approved_by, locked.approved_at = State.DRAFT, None, None
        locked.save()
        _event(locked, Kind.TEXT_SAVED, actor, fields=sorted(changed), reopened=reopened)
    return locked


def press_release_approve(*, actor, release: PressRelease) -> PressRelease:
    """The press service approves a draft: its text may be published as it reads."""
    if not policy.may_approve_press(actor):
        raise PermissionDenied(_("Only the press service or the summary's approvers approve press releases."))
    _require_visible(actor, release)
    with transaction.atomic():
        locked = _locked(release)
        if locked.state != State.DRAFT:
            raise Refused(_("This press release is already approved."))
        locked.state, locked.approved_by, locked.approved_at = State.APPROVED, actor, timezone.now()
        locked.save()
        _event(locked, Kind.APPROVED, actor)
    return locked


def press_release_reopen(*, actor, release: PressRelease) -> PressRelease:
    """An approved release back to a draft (the next writing refreshes it from the summary)."""
    if not policy.may_approve_press(actor):
        raise PermissionDenied(_("Only the press service or the summary's approvers reopen press releases."))
    _require_visible(actor, release)
    with transaction.atomic():
        locked = _locked(release)
        if locked.state != State.APPROVED:
            raise Refused(_("Only an approved press release is reopened: this one is a draft."))
        locked.state, locked.approved_by, locked.approved_at = State.DRAFT, None, None
        locked.save()
        _event(locked, Kind.REOPENED, actor)
    return locked
