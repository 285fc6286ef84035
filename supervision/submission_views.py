"""The monthly submissions' pages: the list (an office's months; the analyst's month of every
office, the late ones, the lock), and one office's month: the form its prosecutors fill in (each
figure checked as it is typed, htmx), the analyst's review (approve, or return with a comment per
figure), the correction of an approved month."""

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from lib.plugins import submitted_catalogue
from lib.spreadsheets import XLSX_TYPE

from . import services, submission_files
from .computed import computed_beside
from .models import LockedMonth, Submission
from .scoping import may_review_submissions, may_submit_for
from .services.submissions import SUBMITTING, latest, submitting_offices
from .submission_rules import plain


def _month_of(text: str | None) -> date:
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def _prefixed(data, prefix: str) -> dict:
    """The posted fields named `<prefix><metric code>`, by code."""
    return {key[len(prefix) :]: value for key, value in data.items() if key.startswith(prefix)}


def _previous_month(day: date) -> date:
    return date(day.year - (day.month == 1), (day.month - 2) % 12 + 1, 1)


@login_required
def submission_list(request):
    """GET /supervision/submissions/?month=YYYY-MM: the user's office's months, or (the analyst)
    every office's month."""
    user = request.user
    region_id = user.organisation.region_id if user.organisation_id else None
    month = _month_of(request.GET.get("month")) if request.GET.get("month") else _previous_month(timezone.localdate())
    if may_review_submissions(user, region_id):
        offices = list(submitting_offices(region_id))
        latest_of = {}
        for submission in Submission.objects.filter(month=month, organisation__in=offices).order_by("version"):
            latest_of[submission.organisation_id] = submission
        rows = [(office, latest_of.get(office.pk)) for office in offices]
        context = {
            "reviewer": True,
            "month": month,
            "rows": rows,
            "late": services.late_offices(region_id, month),
            "locked": LockedMonth.objects.filter(region_id=region_id, month=month).first(),
        }
        return render(request, "supervision/submission_list.html", context)
    office = user.organisation
    if office is None or office.type not in SUBMITTING or not may_submit_for(user, office):
        raise PermissionDenied
    months, day = [], timezone.localdate().replace(day=1)
    for _n in range(12):
        months.append((day, latest(office, day)))
        day = _previous_month(day)
    return render(request, "supervision/submission_list.html", {"reviewer": False, "office": office, "months": months})


def _office_and_month(request, office_id: int, month_text: str) -> tuple[Organisation, date]:
    office = get_object_or_404(Organisation, pk=office_id, type__in=SUBMITTING)
    user = request.user
    if not (may_submit_for(user, office) or may_review_submissions(user, office.region_id)):
        raise PermissionDenied
    return office, _month_of(month_text)


def _lines(submission: Submission | None, raw: dict | None = None, checked=None) -> list[dict]:
    metrics, _rules = submitted_catalogue()
    values = {value.code: value for value in submission.values.all()} if submission else {}
    lines = []
    for metric in metrics:
        stored = values.get(metric.code)
        lines.append(
            {
                "metric": metric,
                "value": raw.get(metric.code, "") if raw is not None else (plain(stored.value) if stored else ""),
                "comment": stored.comment if stored else "",
                "errors": checked.errors.get(metric.code, []) if checked else [],
                "warnings": checked.warnings.get(metric.code, []) if checked else [],
            }
        )
    return lines


def _with_computed(lines: list[dict], office, month) -> list[dict]:
    """The analyst's view: beside each submitted figure, Tartip's own where it computes one."""
    computed = computed_beside({line["metric"].code for line in lines}, office, month)
    for line in lines:
        value = computed.get(line["metric"].code)
        line["computed"] = value
        submitted = line["value"]
        line["difference"] = plain(Decimal(submitted) - value) if value is not None and submitted != "" else None
    return lines


def _context(request, office, month, submission, **extra) -> dict:
    user = request.user
    may_submit = may_submit_for(user, office)
    may_review = may_review_submissions(user, office.region_id)
    locked = LockedMonth.objects.filter(region_id=office.region_id, month=month).exists()
    lines = _lines(submission)
    return {
        "office": office,
        "month": month,
        "month_text": f"{month:%Y-%m}",
        "submission": submission,
        "lines": _with_computed(lines, office, month) if may_review else lines,
        "may_submit": may_submit,
        "may_review": may_review,
        "locked": locked,
        # The office's prosecutors fill in a month that is not locked, nor with the analyst, nor approved.
        "editing": may_submit and not locked and (submission is None or submission.editable),
        "versions": Submission.objects.filter(organisation=office, month=month).order_by("-version"),
        **extra,
    }


@login_required
def submission_month(request, office_id: int, month_text: str):
    """GET, POST /supervision/submissions/<office>/<YYYY-MM>/: the office's month. POST saves the
    figures (`submit` too when asked); refused figures come back with their messages, nothing saved."""
    office, month = _office_and_month(request, office_id, month_text)
    submission = latest(office, month)
    if request.method == "GET":
        return render(request, "supervision/submission_month.html", _context(request, office, month, submission))
    raw = _prefixed(request.POST, "value-")
    try:
        submission, warnings = services.submission_save(actor=request.user, organisation=office, month=month, raw=raw)
        if request.POST.get("action") == "submit":
            services.submission_submit(actor=request.user, submission=submission)
            messages.success(request, _("The month is submitted to the analyst."))
        else:
            messages.success(request, _("The figures are saved."))
        for code, found in warnings.items():
            messages.warning(request, f"{code}: {' '.join(found)}")
    except ValidationError as error:
        checked = services.submission_check(organisation=office, month=month, raw=raw)
        context = _context(request, office, month, submission, errors=error.messages if not checked.errors else [])
        context["lines"] = _lines(submission, raw, checked)
        return render(request, "supervision/submission_month.html", context, status=400)
    return redirect("supervision:submission_month", office_id=office.pk, month_text=f"{month:%Y-%m}")


@login_required
@require_POST
def submission_check(request, office_id: int, month_text: str):
    """POST .../check/ (htmx, as the figures are typed): each figure's problems, nothing saved (the
    inputs are not redrawn: the office may be typing in the next one)."""
    office, month = _office_and_month(request, office_id, month_text)
    raw = _prefixed(request.POST, "value-")
    checked = services.submission_check(organisation=office, month=month, raw=raw)
    lines = _lines(None, raw, checked)
    problems = [line for line in lines if line["errors"] or line["warnings"]]
    return render(request, "supervision/submission_check_partial.html", {"problems": problems})


@login_required
@require_POST
def submission_decide(request, office_id: int, month_text: str):
    """POST .../decide/: the analyst approves the submitted version, or returns it with comments;
    the office starts a correction of its approved month, with its reason."""
    office, month = _office_and_month(request, office_id, month_text)
    submission = latest(office, month)
    if submission is None:
        raise PermissionDenied
    action = request.POST.get("action")
    try:
        if action == "approve":
            services.submission_approve(actor=request.user, submission=submission)
            messages.success(request, _("The month is approved: its figures are the summary's."))
        elif action == "return":
            comments = {
                key[len("comment-") :]: text for key, text in request.POST.items() if key.startswith("comment-")
            }
            services.submission_return(actor=request.user, submission=submission, comments=comments)
            messages.success(request, _("The month is returned to the office with your comments."))
        elif action == "correct":
            services.submission_correct(
                actor=request.user, submission=submission, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("A correction is started: change the figures and submit them again."))
        else:
            raise PermissionDenied
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("supervision:submission_month", office_id=office.pk, month_text=f"{month:%Y-%m}")


@login_required
def submission_template(request, office_id: int, month_text: str):
    """GET .../template.xlsx: the office's month as a workbook to fill in."""
    office, month = _office_and_month(request, office_id, month_text)
    content = services.submission_template(actor=request.user, organisation=office, month=month)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{submission_files.filename(office.code, month)}"'
    return response


@login_required
@require_POST
def submission_upload(request, office_id: int, month_text: str):
    """POST .../upload/: a filled-in template saved as the month's figures (each refused cell named)."""
    office, month = _office_and_month(request, office_id, month_text)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose the filled-in template to upload."))
    else:
        try:
            _submission, warnings = services.submission_upload(
                actor=request.user, organisation=office, month=month, upload=upload
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The template's figures are saved: check them and submit the month."))
            for code, found in warnings.items():
                messages.warning(request, f"{code}: {' '.join(found)}")
    return redirect("supervision:submission_month", office_id=office.pk, month_text=f"{month:%Y-%m}")


@login_required
@require_POST
def month_lock(request):
    """POST /supervision/submissions/lock/: the analyst locks a month of the region."""
    user = request.user
    region_id = user.organisation.region_id if user.organisation_id else None
    month = _month_of(request.POST.get("month"))
    services.month_lock(actor=user, region_id=region_id, month=month)
    messages.success(request, _("The month is locked."))
    return redirect(f"{reverse('supervision:submissions')}?month={month:%Y-%m}")
