"""The registry's indicators: one recorded from a source (a report's text, a notice, a staff
member's entry), confirmed, a wrong sighting unlinked (and the value remembered as not taken), and
unconfirmed indicators expired with what they name. Each change is a dated event with its actor."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_records
from accounts.models import AuditEvent, Organisation
from lib.crypto import keyed_hash_candidates
from signals.models import Report, ReporterContact

from .. import policy
from ..extraction import extract
from ..indicators import Indicator as Found
from ..indicators import InvalidIndicator, Kind, normalize
from ..models import IgnoredValue, Indicator, IndicatorEvent, Lookup, Sighting, Status
from .networks import links_add, links_remove, take_turn

Event = IndicatorEvent.Kind


def is_ignored(found: Found) -> bool:
    """An allow-listed value, or one a staff member unlinked as wrongly taken."""
    return IgnoredValue.objects.filter(kind=found.kind, value_hash__in=found.hashes).exists()


def expires_from(now: datetime) -> datetime:
    return now + timedelta(days=settings.REGISTRY_UNCONFIRMED_DAYS)


def _bank(found: Found) -> Organisation | None:
    bic = found.details.get("bic") if found.kind == Kind.IBAN else ""
    return Organisation.objects.filter(type=Organisation.Type.BANK, bic=bic).first() if bic else None


def seen_again(indicator: Indicator, found: Found, first_at: datetime, last_at: datetime, now: datetime) -> bool:
    """A known indicator seen again (not saved here): its first and last sightings widened; one
    forgotten (expired) is suspected anew, as found now; a suspected one's expiry pushed back. True
    when it was revived: its bank and its "found" event are the caller's to set."""
    revived = indicator.status == Status.EXPIRED
    if revived:
        indicator.hold(found)
        indicator.status = Status.SUSPECTED
    indicator.first_seen_at, indicator.last_seen_at, indicator.expires_at = widened_seen(
        indicator.status, indicator.first_seen_at, indicator.last_seen_at, indicator.expires_at, first_at, last_at, now
    )
    return revived


def widened_seen(status, first_seen_at, last_seen_at, expires_at, first_at, last_at, now) -> tuple:
    """A known indicator's first and last sightings and its expiry once seen again between
    `first_at` and `last_at`: a suspected one's expiry pushed back."""
    expires_at = expires_from(now) if status == Status.SUSPECTED else expires_at
    return min(first_seen_at, first_at), max(last_seen_at, last_at), expires_at


def _indicator(found: Found, region, at: datetime, now: datetime, actor, district=None) -> Indicator:
    """The region's row of the value, made on its first sighting (with its "found" event)."""
    existing = Indicator.objects.select_for_update().filter(region=region, kind=found.kind, value_hash__in=found.hashes)
    indicator = existing.first()
    if indicator is not None:
        if seen_again(indicator, found, at, at, now):
            indicator.bank = _bank(found)
            IndicatorEvent.objects.create(
                indicator=indicator, kind=Event.FOUND, status=Status.SUSPECTED, at=now, actor=actor
            )
        indicator.save()
        return indicator
    try:
        with transaction.atomic():  # a savepoint: another writer may make the same row meanwhile
            indicator = Indicator(
                region=region,
                bank=_bank(found),
                district=district,
                first_seen_at=at,
                last_seen_at=at,
                expires_at=expires_from(now),
            )
            indicator.hold(found)
            indicator.save(force_insert=True)
    except IntegrityError:
        return _indicator(found, region, at, now, actor, district)
    IndicatorEvent.objects.create(indicator=indicator, kind=Event.FOUND, status=Status.SUSPECTED, at=now, actor=actor)
    return indicator


def indicator_take(
    *,
    actor,
    found: Found,
    source: str,
    region,
    at: datetime,
    report=None,
    district=None,
    note: str = "",
    context: str = "",
) -> Sighting | None:
    """A value already read (registry.indicators) seen in a source: its indicator (made on its first
    sighting) and the sighting; None for a value never taken (is_ignored). A report's value seen
    again in the same report is one sighting. `context` names the piece of the source seen with
    other values (models.Sighting.context); a report's is the report."""
    if is_ignored(found):
        return None
    now = timezone.now()
    with transaction.atomic():
        take_turn()  # as indicators_take_many does: one maker of indicators at a time
        indicator = _indicator(found, region, at, now, actor, district)
        context = f"report:{report.pk}" if report is not None else context
        fields = {"source": source, "district": district, "at": at, "recorded_at": now, "actor": actor, "note": note}
        fields["context"] = context
        if report is None:
            sighting, created = Sighting.objects.create(indicator=indicator, **fields), True
        else:
            sighting, created = Sighting.objects.get_or_create(indicator=indicator, report=report, defaults=fields)
        if created and context:  # linked to the values seen with it as it arrives
            links_add(contexts=[context])
    return sighting


def indicator_enter(*, actor, kind: str, raw: str, source: str = Sighting.Source.MANUAL, district=None, note: str = ""):
    """A staff member's entry of a value: refused with the reason when it is not a valid one of its
    kind, or when it is on the allow-list."""
    if not policy.may_record(actor):
        raise PermissionDenied(_("Your role does not record indicators."))
    try:
        found = normalize(kind, raw)
    except InvalidIndicator as error:
        raise ValidationError({"value": str(error)}) from None
    region = actor.organisation.region if actor.organisation_id else None
    if region is None:
        raise PermissionDenied(_("Your organisation belongs to no region: its registry is not yours."))
    sighting = indicator_take(
        actor=actor, found=found, source=source, region=region, at=timezone.now(), district=district, note=note
    )
    if sighting is None:
        raise ValidationError({"value": _("This value is on the allow-list: it is never taken as an indicator.")})
    return sighting


def indicator_confirm(*, actor, indicator: Indicator) -> Indicator:
    """Suspected → confirmed, by a prosecutor or the police: it no longer expires."""
    if not policy.may_record(actor):
        raise PermissionDenied(_("Only a prosecutor or the police confirm an indicator."))
    with transaction.atomic():
        locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
        if locked.status != Status.SUSPECTED:
            raise ValidationError(
                _("Only a suspected indicator can be confirmed: this one is %(status)s.")
                % {"status": locked.get_status_display()}
            )
        locked.status, locked.expires_at = Status.CONFIRMED, None
        locked.save(update_fields=["status", "expires_at"])
        IndicatorEvent.objects.create(
            indicator=locked, kind=Event.CONFIRMED, status=Status.CONFIRMED, at=timezone.now(), actor=actor
        )
    return locked


def sighting_unlink(*, actor, sighting: Sighting, reason: str = "") -> None:
    """A value wrongly taken from its source: the sighting is unlinked, and the value is remembered
    so that it is not taken again."""
    if not policy.may_record(actor):
        raise PermissionDenied(_("Only a prosecutor or the police unlink an indicator."))
    now = timezone.now()
    with transaction.atomic():
        locked = Sighting.objects.select_for_update().select_related("indicator").get(pk=sighting.pk)
        if locked.unlinked_at is not None:
            return
        locked.unlinked_at, locked.unlinked_by = now, actor
        locked.save(update_fields=["unlinked_at", "unlinked_by"])
        indicator = locked.indicator
        IgnoredValue.objects.get_or_create(
            kind=indicator.kind,
            value_hash=indicator.value_hash,
            defaults={
                "shown": indicator.shown,
                "reason": IgnoredValue.Reason.UNLINKED,
                "actor": actor,
                "source": reason,
            },
        )
        links_remove(sightings=[locked.pk])
        IndicatorEvent.objects.create(
            indicator=indicator,
            kind=Event.UNLINKED,
            status=indicator.status,
            at=now,
            actor=actor,
            data={"sighting": locked.pk},
        )


def report_text(description: str, address: str, attributes: dict | None) -> str:
    """What a report's reporter wrote: the description, the address, the category's extra fields."""
    values = [description, address]
    for value in (attributes or {}).values():
        values.extend(value if isinstance(value, list) else [value])
    return "\n".join(str(value) for value in values if value not in (None, ""))


def _reporters_own(report: Report) -> frozenset[str]:
    """The keyed hash of the reporter's own phone: a reporter's number in their text is no scam's."""
    contact = ReporterContact.objects.filter(report=report).only("phone_hash").first()
    return frozenset({contact.phone_hash} if contact is not None and contact.phone_hash else set())


def report_indicators_take(*, report_id: int) -> int:
    """The indicators an offence report names, each linked to it once (running again adds none),
    but the reporter's own phone and what is never taken. The count of values linked."""
    report = Report.objects.select_related("region", "district").filter(pk=report_id).first()
    if report is None:
        return 0
    own = _reporters_own(report)
    taken = 0
    for found in extract(report_text(report.description, report.address, report.attributes)):
        if found.kind == Kind.PHONE and own & set(keyed_hash_candidates(found.value)):
            continue
        sighting = indicator_take(
            actor=None,
            found=found,
            source=Sighting.Source.REPORT,
            region=report.region,
            at=report.submitted_at,
            report=report,
            district=report.district,
        )
        taken += sighting is not None
    # Each value was linked as it was taken; this links what an earlier, interrupted run left.
    links_add(contexts=[f"report:{report.pk}"])
    return taken


LOOKUP_BATCH = 1000


def lookups_audit() -> int:
    """Fold the lookups not yet audited into the audit chain: one event per key and batch, naming
    each lookup by the keyed hash of the value asked, its kind, answer and time. The count folded."""
    folded = 0
    while True:
        with transaction.atomic():
            batch = list(
                Lookup.objects.select_for_update(skip_locked=True)
                .filter(audited=False)
                .select_related("api_key")
                .order_by("id")[:LOOKUP_BATCH]
            )
            if not batch:
                return folded
            by_key: dict = {}
            for lookup in batch:
                by_key.setdefault(lookup.api_key, []).append(
                    [lookup.value_hash, lookup.kind, lookup.status, lookup.at.isoformat()]
                )
            audit_records(
                [
                    {
                        "action": AuditEvent.Action.LOOKUPS,
                        "target": f"api_key:{api_key.prefix}",
                        "details": {"organisation": api_key.organisation_id, "lookups": lookups},
                    }
                    for api_key, lookups in by_key.items()
                ]
            )
            Lookup.objects.filter(pk__in=[lookup.pk for lookup in batch]).update(audited=True)
            folded += len(batch)


def indicators_expire(*, now: datetime | None = None) -> int:
    """Unconfirmed indicators past their time forgotten with what they name: the value, its details
    and the sightings' notes are erased, the row and its events kept (the registry's counts as of an
    earlier day stay right), an "expired" event added. The count expired."""
    now = now or timezone.now()
    expired = 0
    while True:
        with transaction.atomic():
            batch = list(
                Indicator.objects.select_for_update(skip_locked=True)
                .filter(status=Status.SUSPECTED, expires_at__lte=now)
                .order_by("id")[:LOOKUP_BATCH]
            )
            if not batch:
                return expired
            ids = [indicator.pk for indicator in batch]
            Indicator.objects.filter(pk__in=ids).update(
                status=Status.EXPIRED, value="", secret="", details={}, shown="—", bank=None, expires_at=None
            )
            Sighting.objects.filter(indicator_id__in=ids).update(note="")
            IndicatorEvent.objects.bulk_create(
                IndicatorEvent(indicator_id=pk, kind=Event.EXPIRED, status=Status.EXPIRED, at=now) for pk in ids
            )
            expired += len(ids)
