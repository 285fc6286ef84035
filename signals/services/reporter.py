"""The reporter's follow-up, through the private tracking link: "me too", more information, "not
resolved", a rating.
"""

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import notices
from ..models import Report, ReportEvent, ReportPhoto, ReportSupporter
from ..policy import ANSWERED_STATUSES, FINAL_STATUSES, may_join, transition_for
from ..references import new_tracking_token
from .events import after_status_change, clean_text, copy_back, locked_report, record_event
from .intake import clean_contact

Status = Report.Status
Kind = ReportEvent.Kind

FOLLOW_UP_MAX = 2000


def report_me_too(*, report: Report, contact: dict | None = None) -> tuple[ReportSupporter, str]:
    """Someone else saw the same thing: they join the open public report and get their own
    tracking link (returned once, with the row)."""
    with transaction.atomic():
        locked = locked_report(report)
        if not may_join(locked):
            raise ValidationError(_("This report cannot be joined."))
        errors: dict = {}
        cleaned = clean_contact(contact, lambda field, message: errors.setdefault(field, []).append(message))
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        token, hashed = new_tracking_token()
        supporter = ReportSupporter.objects.create(
            report=locked,
            kind=ReportSupporter.Kind.ME_TOO,
            tracking_token_hash=hashed,
            created_at=now,
            consent_at=now if cleaned else None,
            **(cleaned or {}),
        )
        record_event(locked, Kind.ME_TOO, None, now, supporters=locked.supporters.count())
        return supporter, token


def _require_reporter_may_follow_up(report: Report) -> None:
    if report.status in FINAL_STATUSES:
        raise ValidationError(_("This report is no longer followed: nothing can be added to it."))


def followup_add(*, report: Report, text: str = "", photos: Sequence = ()) -> Report:
    """The reporter adds information or photos (photos already cleaned by lib.photos)."""
    with transaction.atomic():
        locked = locked_report(report)
        _require_reporter_may_follow_up(locked)
        text = (text or "").strip()
        photos = list(photos or ())
        if not text and not photos:
            raise ValidationError({"text": [_("Write something or attach a photo.")]})
        if len(text) > FOLLOW_UP_MAX:
            raise ValidationError({"text": [_("At most %(limit)d characters.") % {"limit": FOLLOW_UP_MAX}]})
        total = ReportPhoto.objects.filter(report=locked).exclude(source=ReportPhoto.Source.ANSWER).count()
        if total + len(photos) > 2 * settings.REPORT_PHOTO_MAX_COUNT:
            raise ValidationError({"photos": [_("This report has as many photos as it can take.")]})
        for photo in photos:
            ReportPhoto.objects.create(report=locked, image=photo, source=ReportPhoto.Source.FOLLOW_UP)
        record_event(locked, Kind.FOLLOW_UP, None, timezone.now(), text=text, photos=len(photos))
        notices.reporter_followed_up(locked)
        return locked


def followup_not_resolved(*, report: Report, text: str) -> Report:
    """The reporter says the answer did not resolve things: the prosecutor decides (return or close)."""
    with transaction.atomic():
        locked = locked_report(report)
        text = clean_text(text, "text", FOLLOW_UP_MAX, _("Say what is still wrong."))
        transition_for(locked.status, Status.REOPENED)
        now = timezone.now()
        from_status = locked.status
        locked.status, locked.closed_at = Status.REOPENED, None
        locked.save(update_fields=["status", "closed_at"])
        record_event(locked, Kind.STATUS, None, now, from_status=from_status, action="reopen", reason=text)
        after_status_change(locked, from_status, Status.REOPENED, None)
        copy_back(locked, report, ["status", "closed_at"])
        return report


def followup_rate(*, report: Report, rating: int) -> Report:
    """The reporter rates the answer from 1 (useless) to 5 (fully resolved); a new rating replaces it."""
    with transaction.atomic():
        locked = locked_report(report)
        if locked.status not in ANSWERED_STATUSES:
            raise ValidationError(_("The report has no answer to rate yet."))
        if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
            raise ValidationError({"rating": [_("Rate from 1 to 5.")]})
        locked.rating = rating
        locked.save(update_fields=["rating"])
        record_event(locked, Kind.RATED, None, timezone.now(), rating=rating)
        copy_back(locked, report, ["rating"])
        return report
