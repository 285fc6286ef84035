"""The offices' monthly submissions (the catalogue's submitted metrics, read through lib.plugins):

- `submission_save`: an office fills in its month, each figure checked (supervision.submission_rules:
  refused with a message per figure, nothing saved; warnings kept for the office to look at);
- `submission_submit`: every figure given, the version is sent to the analyst;
- `submission_return`: the analyst sends it back with a comment per figure;
- `submission_approve`: the analyst approves it: it never changes again, its figures become the
  month's (MonthlyFigure, source "submitted", the earlier version's replaced, kept for an earlier
  "as of"), and the version before is superseded;
- `submission_correct`: a correction of an approved month is the next version, with its reason;
- `month_lock`: the analyst locks a month: nothing of it changes or is corrected any more;
- `submissions_remind` (the scheduler's, hourly): the prosecutors of each office that has not
  submitted last month by its due day (settings.SUPERVISION_SUBMISSION_DUE_DAY) are reminded, once
  for that month (the notification's key).
"""

from __future__ import annotations

import statistics
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, Region, User
from accounts.notifications import notify
from accounts.roles import PROSECUTOR_ROLES
from accounts.zones import local_today
from lib import tables
from lib.i18n import lazy_format
from lib.metrics import Source
from lib.plugins import submitted_catalogue

from .. import submission_files, submission_rules
from ..models import LockedMonth, MonthlyFigure, Submission, SubmissionEvent, SubmissionValue
from ..scoping import may_review_submissions, may_submit_for
from .crime import caps

Status = Submission.Status
# The offices that submit: the district, city and city-district offices, the regional office's
# departments and the specialised offices.
SUBMITTING = (
    Organisation.Type.DISTRICT_OFFICE,
    Organisation.Type.CITY_OFFICE,
    Organisation.Type.CITY_DISTRICT_OFFICE,
    Organisation.Type.REGIONAL_DEPARTMENT,
    Organisation.Type.SPECIALISED_OFFICE,
)
OPEN = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)


def may_open_submissions(user) -> bool:
    """The menu's entry: the analyst, and the prosecutors of an office that submits."""
    if not user.is_authenticated or not user.organisation_id:
        return False
    return may_review_submissions(user, user.organisation.region_id) or (
        user.organisation.type in SUBMITTING and may_submit_for(user, user.organisation)
    )


def submitting_offices(region_id: int):
    return Organisation.objects.filter(region_id=region_id, type__in=SUBMITTING).order_by("type", "code")


def office_district_id(organisation: Organisation) -> int | None:
    """The district an office's figures count in: its one district, or the city its districts
    are parts of; none (the region as a whole) for a department or a specialised office."""
    if organisation.type in (Organisation.Type.REGIONAL_DEPARTMENT, Organisation.Type.SPECIALISED_OFFICE):
        return None
    districts = list(organisation.districts.all())
    ids = {district.pk for district in districts}
    tops = [district.pk for district in districts if district.parent_id not in ids]
    return tops[0] if len(tops) == 1 else None


def _month(day: date) -> date:
    return day.replace(day=1)


def _locked(region_id: int, month: date) -> bool:
    return LockedMonth.objects.filter(region_id=region_id, month=month).exists()


def _refuse_if_locked(region_id: int, month: date) -> None:
    if _locked(region_id, month):
        raise ValidationError(_("The month is locked: its submissions change no more."))


def _event(submission: Submission, kind: str, actor, now, **data) -> None:
    SubmissionEvent.objects.create(submission=submission, kind=kind, at=now, actor=actor, data=data)


def latest(organisation: Organisation, month: date) -> Submission | None:
    return Submission.objects.filter(organisation=organisation, month=_month(month)).order_by("-version").first()


def usual_month(organisation: Organisation, month: date) -> dict:
    """Each metric's median over the office's approved months of the year before `month`."""
    start = date(month.year - 1, month.month, 1)
    values: dict[str, list] = {}
    rows = SubmissionValue.objects.filter(
        submission__organisation=organisation,
        submission__status__in=(Status.APPROVED, Status.SUPERSEDED),
        submission__month__gte=start,
        submission__month__lt=_month(month),
    ).values_list("submission__month", "submission__version", "code", "value")
    newest: dict[tuple, tuple] = {}
    for row_month, version, code, value in rows:  # the last approved version of each month
        if (row_month, code) not in newest or newest[(row_month, code)][0] < version:
            newest[(row_month, code)] = (version, value)
    for (_row_month, code), (_version, value) in newest.items():
        values.setdefault(code, []).append(value)
    return {code: statistics.median(found) for code, found in values.items()}


def submission_check(*, organisation: Organisation, month: date, raw: dict) -> submission_rules.Checked:
    """The figures checked as the office would save them (no write): the form's round trip."""
    metrics, rules = submitted_catalogue()
    return submission_rules.check(raw, metrics, rules, usual_month(organisation, _month(month)))


def submission_save(*, actor, organisation: Organisation, month: date, raw: dict) -> tuple[Submission, dict]:
    """The office's month saved as its open version (made when there is none); a ValidationError
    by metric code when a figure is refused, nothing saved. The warnings, by code."""
    if not may_submit_for(actor, organisation):
        raise PermissionDenied(_("Only the office's prosecutors fill in its submission."))
    month = _month(month)
    _refuse_if_locked(organisation.region_id, month)
    checked = submission_check(organisation=organisation, month=month, raw=raw)
    if checked.errors:
        raise ValidationError(checked.errors)
    now = timezone.now()
    with transaction.atomic():
        current = (
            Submission.objects.select_for_update()
            .filter(organisation=organisation, month=month)
            .order_by("-version")
            .first()
        )
        if current is not None and current.status == Status.SUBMITTED:
            raise ValidationError(_("The month is with the analyst: it changes only if returned."))
        if current is not None and current.status in (Status.APPROVED, Status.SUPERSEDED):
            raise ValidationError(_("The month is approved: start a correction, with its reason, to change it."))
        if current is None:
            current = Submission.objects.create(
                region_id=organisation.region_id,
                organisation=organisation,
                month=month,
                created_by=actor,
                created_at=now,
            )
        comments = dict(current.values.values_list("code", "comment"))
        current.values.all().delete()
        SubmissionValue.objects.bulk_create(
            SubmissionValue(submission=current, code=code, value=value, comment=comments.get(code, ""))
            for code, value in checked.values.items()
        )
        _event(current, SubmissionEvent.Kind.SAVED, actor, now)
    return current, checked.warnings


def submission_submit(*, actor, submission: Submission) -> Submission:
    if not may_submit_for(actor, submission.organisation):
        raise PermissionDenied(_("Only the office's prosecutors submit its month."))
    _refuse_if_locked(submission.region_id, submission.month)
    if not submission.editable:
        raise ValidationError(_("Only a draft or a returned version is submitted."))
    metrics, _rules = submitted_catalogue()
    given = set(submission.values.values_list("code", flat=True))
    missing = [metric.name for metric in metrics if metric.code not in given]
    if missing:
        raise ValidationError(_("Fill in every figure first: %(names)s.") % {"names": "; ".join(missing)})
    now = timezone.now()
    with transaction.atomic():
        Submission.objects.filter(pk=submission.pk).update(status=Status.SUBMITTED, submitted_at=now)
        _event(submission, SubmissionEvent.Kind.SUBMITTED, actor, now)
    submission.refresh_from_db()
    return submission


def _require_reviewer(actor, submission: Submission) -> None:
    if not may_review_submissions(actor, submission.region_id):
        raise PermissionDenied(_("Only the regional analyst approves or returns a submission."))
    if submission.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted version is approved or returned."))


def submission_return(*, actor, submission: Submission, comments: dict[str, str]) -> Submission:
    """Sent back to the office with a comment on each figure to look at again (one at least)."""
    _require_reviewer(actor, submission)
    comments = {code: text.strip()[:2000] for code, text in comments.items() if text and text.strip()}
    if not comments:
        raise ValidationError(_("Say what to correct: a comment on one figure at least."))
    now = timezone.now()
    with transaction.atomic():
        for value in submission.values.all():
            value.comment = comments.get(value.code, "")
            value.save(update_fields=["comment"])
        Submission.objects.filter(pk=submission.pk).update(status=Status.RETURNED, decided_by=actor, decided_at=now)
        _event(submission, SubmissionEvent.Kind.RETURNED, actor, now, comments=comments)
    submission.refresh_from_db()
    return submission


def submission_approve(*, actor, submission: Submission) -> Submission:
    """Approved: immutable from now on; its figures are the month's, the version before superseded."""
    _require_reviewer(actor, submission)
    _refuse_if_locked(submission.region_id, submission.month)
    now = timezone.now()
    district_id = office_district_id(submission.organisation)
    with transaction.atomic():
        Submission.objects.filter(
            organisation=submission.organisation, month=submission.month, status=Status.APPROVED
        ).update(status=Status.SUPERSEDED)
        MonthlyFigure.objects.filter(
            submission__organisation=submission.organisation,
            month=submission.month,
            source=Source.SUBMITTED,
            replaced_at__isnull=True,
        ).update(replaced_at=now)
        MonthlyFigure.objects.bulk_create(
            MonthlyFigure(
                region_id=submission.region_id,
                district_id=district_id,
                code=value.code,
                month=submission.month,
                value=value.value,
                source=Source.SUBMITTED,
                submission=submission,
                recorded_at=now,
            )
            for value in submission.values.all()
        )
        Submission.objects.filter(pk=submission.pk).update(status=Status.APPROVED, decided_by=actor, decided_at=now)
        _event(submission, SubmissionEvent.Kind.APPROVED, actor, now)
    submission.refresh_from_db()
    return submission


def submission_correct(*, actor, submission: Submission, reason: str) -> Submission:
    """The next version of an approved month, its figures copied, to be corrected and submitted."""
    if not may_submit_for(actor, submission.organisation):
        raise PermissionDenied(_("Only the office's prosecutors correct its month."))
    _refuse_if_locked(submission.region_id, submission.month)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the approved figures are corrected.")})
    if submission.status != Status.APPROVED:
        raise ValidationError(_("Only the approved version is corrected."))
    now = timezone.now()
    with transaction.atomic():
        correction = Submission.objects.create(
            region_id=submission.region_id,
            organisation=submission.organisation,
            month=submission.month,
            version=submission.version + 1,
            reason=reason[:2000],
            created_by=actor,
            created_at=now,
        )
        SubmissionValue.objects.bulk_create(
            SubmissionValue(submission=correction, code=value.code, value=value.value)
            for value in submission.values.all()
        )
        _event(correction, SubmissionEvent.Kind.CORRECTED, actor, now, reason=reason, of_version=submission.version)
    return correction


def month_lock(*, actor, region_id: int, month: date) -> LockedMonth:
    if not may_review_submissions(actor, region_id):
        raise PermissionDenied(_("Only the regional analyst locks a month."))
    locked, _created = LockedMonth.objects.get_or_create(
        region_id=region_id, month=_month(month), defaults={"locked_by": actor, "locked_at": timezone.now()}
    )
    return locked


def late_offices(region_id: int, month: date) -> list[Organisation]:
    """The offices that have not submitted the month (no version sent, returned or approved yet)."""
    sent = Submission.objects.filter(month=_month(month), submitted_at__isnull=False).values("organisation")
    return list(submitting_offices(region_id).exclude(pk__in=sent))


def submissions_remind() -> int:
    """Each office late with last month's figures past the due day: its prosecutors told, once for
    the month. The number of offices reminded."""
    reminded = 0
    for region in Region.objects.filter(organisations__type__in=SUBMITTING).distinct():
        today = local_today(region)
        if today.day < settings.SUPERVISION_SUBMISSION_DUE_DAY:
            continue
        month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        if LockedMonth.objects.filter(region=region, month=month).exists():
            continue
        for office in late_offices(region.pk, month):
            prosecutors = User.objects.filter(organisation=office, role__in=PROSECUTOR_ROLES)
            subject = lazy_format(
                gettext_lazy("The figures of %(month)s are due: submit them in Tartip"), {"month": f"{month:%m.%Y}"}
            )
            url = reverse("supervision:submission_month", args=[office.pk, f"{month:%Y-%m}"])
            if notify(users=prosecutors, subject=subject, url=url, key=f"submission-late:{office.pk}:{month:%Y-%m}"):
                reminded += 1
    return reminded


def submission_template(*, actor, organisation: Organisation, month: date) -> bytes:
    """The office's month as an XLSX to fill in, its saved figures in it."""
    if not (may_submit_for(actor, organisation) or may_review_submissions(actor, organisation.region_id)):
        raise PermissionDenied(_("Only the office's prosecutors and the analyst read its submission."))
    metrics, _rules = submitted_catalogue()
    current = latest(organisation, _month(month))
    values = dict(current.values.values_list("code", "value")) if current else {}
    return submission_files.template(organisation.code, organisation.name, _month(month), metrics, values)


def submission_upload(*, actor, organisation: Organisation, month: date, upload) -> tuple[Submission, dict]:
    """A filled-in template saved as the month's open version (submission_save); a ValidationError
    naming each refused cell, or why the file is not the office's template of the month (nothing
    saved)."""
    if not may_submit_for(actor, organisation):
        raise PermissionDenied(_("Only the office's prosecutors fill in its submission."))
    month = _month(month)
    metrics, _rules = submitted_catalogue()
    try:
        layout = tables.read_layout(upload, caps())
        read = submission_files.read(
            tables.rows(upload, layout), layout.header, organisation.code, month, {metric.code for metric in metrics}
        )
    except tables.TableFileError as error:
        raise ValidationError(error.text()) from None
    formulas = sorted(cell for cell in read.cells.values() if cell in layout.uncached_formulas)
    if formulas:
        raise ValidationError(
            _("The cells %(cells)s hold formulas saved without their values: save the file with its values.")
            % {"cells": ", ".join(formulas)}
        )
    checked = submission_check(organisation=organisation, month=month, raw=read.raw)
    if checked.errors:
        raise ValidationError(submission_files.cell_messages(checked.errors, read.cells))
    return submission_save(actor=actor, organisation=organisation, month=month, raw=read.raw)
