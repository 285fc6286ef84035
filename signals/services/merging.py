"""Duplicates: a report merged into another (its reporters, photos and timeline follow it)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Report, ReporterContact, ReportEvent, ReportSupporter
from ..policy import FINAL_STATUSES, transition_for
from .events import record_event, require_prosecutor
from .prosecutor import report_transition

Status = Report.Status
Kind = ReportEvent.Kind


@transaction.atomic
def report_merge(*, duplicate: Report, into: Report, actor, reason: str = "") -> Report:
    """Merge `duplicate` into `into`: the duplicate is closed as such; its reporter (with their
    contact) and its followers join `into`, and its events stay readable in `into`'s timeline."""
    if duplicate.pk == into.pk:
        raise ValidationError({"into": [_("A report cannot be merged into itself.")]})
    first, second = sorted([duplicate.pk, into.pk])
    locked = {r.pk: r for r in Report.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")}
    source, target = locked[duplicate.pk], locked[into.pk]
    require_prosecutor(actor, source)
    require_prosecutor(actor, target)
    if target.region_id != source.region_id:
        raise ValidationError({"into": [_("Both reports must be of the same region.")]})
    if target.status in FINAL_STATUSES:
        raise ValidationError({"into": [_("Merge into a report that is not rejected or itself a duplicate.")]})
    transition_for(source.status, Status.DUPLICATE)  # refuses what the workflow forbids
    now = timezone.now()
    contact = ReporterContact.objects.filter(report=source).first()
    ReportSupporter.objects.create(
        report=target,
        kind=ReportSupporter.Kind.MERGED,
        merged_from=source,
        name=contact.name if contact else "",
        phone=contact.phone if contact else "",
        email=contact.email if contact else "",
        # Copied too: a contact under a retired key keeps its ciphertext and, so, its hashes.
        phone_hash=contact.phone_hash if contact else "",
        email_hash=contact.email_hash if contact else "",
        consent_at=contact.consent_at if contact else None,
        created_at=now,
    )
    ReportSupporter.objects.filter(report=source).update(report=target)
    report_transition(report=source, to_status=Status.DUPLICATE, actor=actor, reason=reason, duplicate_of=target)
    record_event(target, Kind.MERGED, actor, now, merged=source.reference, reason=(reason or "").strip())
    duplicate.refresh_from_db()
    return target
