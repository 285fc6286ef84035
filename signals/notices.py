"""Who hears about what happens to a report, and what they read.

Staff get an in-app notification and a mail (accounts.notifications); reporters who left an
address get a mail (they have no account). A notification never names the reporter, and for
sensitive categories it carries no content at all: the subject with the reference, and a link.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.notifications import notify
from lib import once
from lib.crypto import keyed_hash, readable
from lib.i18n import lazy_format
from lib.identifiers import normalize_email
from lib.mail import send_each

from .models import Report, ReporterContact, ReportEvent, ReportSupporter
from .policy import AWAITING_ANSWER, body_staff, overseers
from .selectors import report_family_ids

Status = Report.Status
Kind = ReportEvent.Kind

# Reporters' mails are written in the languages of the public form: Kazakh, then Russian.
REPORTER_LANGUAGES = ("kk", "ru")


def staff_link(report: Report) -> str:
    return reverse("signals:detail", args=[report.reference])


def _subject(message, report: Report):
    return lazy_format(message, {"reference": report.reference})


def _notify_about(report: Report, users, subject, text="") -> None:
    notify(
        users=users, subject=_subject(subject, report), text=text, url=staff_link(report), sensitive=report.sensitive
    )


def status_changed(report: Report, from_status: str, to_status: str) -> None:
    """The staff's notices of a status change (the reporters' mail is a task: signals.tasks)."""
    if to_status == Status.ANSWERED:
        _notify_about(report, overseers(report), _("Report %(reference)s was answered by the body"))
    elif to_status == Status.RETURNED and report.body_id:
        _notify_about(report, body_staff(report.body_id), _("Report %(reference)s was returned for re-work"))
    elif to_status == Status.REOPENED:
        _notify_about(report, overseers(report), _("The reporter says %(reference)s is not resolved"))


def body_routed(*, report_id: int, body_id: int, kind: str) -> int:
    """Tell the body's staff that a report is now theirs (in the app and by mail, through
    accounts.notifications); returns the number of notifications. Run by a task after the routing
    committed, so intake writes one task row rather than the notifications themselves.

    It never names the reporter; for sensitive categories it carries only the reference (and the
    link): the body reads the report in Tartip.
    """
    report = Report.objects.select_related("category", "district", "body").filter(pk=report_id).first()
    if report is None or report.body_id != body_id:
        return 0  # re-routed again since: the current body got its own notice
    subject = _("Tartip: report %(reference)s needs your answer")
    text = lazy(_routed_text, str)(report, kind)
    return len(
        notify(
            users=body_staff(body_id),
            subject=_subject(subject, report),
            text=text,
            url=staff_link(report),
            sensitive=False,  # _routed_text leaves the content out itself: the deadline must reach them
            key=_routing_key(report),
        )
    )


def _routing_key(report: Report) -> str:
    """What a routing notice is about: this routing of the report (every routing sets routed_at;
    a report routed at its submission may have only submitted_at). The task run twice, or the
    task of an earlier routing to the same body run late, finds its officers notified already."""
    routed_at = report.routed_at or report.submitted_at
    return f"report-routed:{report.pk}:{routed_at.isoformat()}"


def _routed_text(report: Report, kind: str) -> str:
    """Rendered in each officer's language (notify() renders lazy text per recipient). For a
    sensitive report only the reference, the body and the deadline."""
    deadline = timezone.localtime(report.deadline_at).strftime("%Y-%m-%d %H:%M") if report.deadline_at else "—"
    lines = [
        gettext("Report %(reference)s was sent to %(body)s.") % {"reference": report.reference, "body": report.body},
        gettext("Answer by: %(deadline)s.") % {"deadline": deadline},
    ]
    if kind in (Kind.REROUTED, Kind.RECATEGORISED):
        lines.append(gettext("It was re-routed to you by a prosecutor."))
    if not report.sensitive:
        lines.append(gettext("Category: %(category)s.") % {"category": report.category})
        if report.district_id:
            lines.append(gettext("District: %(district)s.") % {"district": report.district})
        if report.address:
            lines.append(gettext("Address: %(address)s.") % {"address": report.address})
    lines.append(gettext("Open it in Tartip to read it and answer."))
    return "\n".join(lines)


def forwarded(report: Report, forward) -> None:
    _notify_about(report, overseers(report), _("Report %(reference)s was forwarded to another body: review it"))


def extension_requested(report: Report, extension) -> None:
    _notify_about(report, overseers(report), _("More time is asked for report %(reference)s: decide"))


def extension_decided(report: Report, extension) -> None:
    if extension.decision == extension.Decision.GRANTED:
        subject = _("Extension granted for report %(reference)s")
    else:
        subject = _("Extension refused for report %(reference)s")
    _notify_about(report, body_staff(extension.body_id), subject)


def reporter_followed_up(report: Report) -> None:
    _notify_about(report, overseers(report), _("The reporter added information to %(reference)s"))
    if report.body_id and report.status in AWAITING_ANSWER:
        _notify_about(report, body_staff(report.body_id), _("The reporter added information to %(reference)s"))


# --- reporters ---------------------------------------------------------------------------------


def reporter_addresses(report: Report) -> list[str]:
    """The addresses of everyone following the report who agreed to be contacted."""
    family = report_family_ids(report)
    addresses = list(
        ReporterContact.objects.filter(report_id__in=family).exclude(email="").values_list("email", flat=True)
    )
    addresses += (
        ReportSupporter.objects.filter(report_id__in=family, consent_at__isnull=False)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    # A contact under a key no longer configured reads as a message, not an address: left out (it
    # is logged by lib.crypto), so the others are still mailed.
    return sorted({address for address in addresses if readable(address)})


def mail_reporters(*, report_id: int, status: str) -> once.Done:
    """One mail to each reporter's address (not a list of recipients: they must not see each
    other). No tracking link: only its hash is kept, the reporter has the link.

    Once per status change and address though the task runs twice: each mail is claimed in the
    database (lib.once, as the digest claims its day) and marked done once sent; a claim held
    by another run is tried again when it expires (`retry_at`)."""
    report = Report.objects.filter(pk=report_id).first()
    if report is None or report.status != status:
        return once.Done(0)  # moved on since: the newer change sends its own mail
    addresses = reporter_addresses(report)
    if not addresses:
        return once.Done(0)
    # The address by its keyed hash (lib.crypto): a claim holds no reporter's address.
    change = _status_change_key(report)
    keys = {f"{change}:{keyed_hash(normalize_email(address))}": address for address in addresses}
    mine = [key for key in keys if once.claim(key)]
    subject, body = _reporter_mail(report)
    mails = [(key, EmailMessage(subject=subject, body=body, to=[keys[key]])) for key in mine]
    count = send_each(mails, sent=once.done, release=once.release)
    return once.Done(count, retry_at=once.held_until(key for key in keys if key not in mine))


def _status_change_key(report: Report) -> str:
    """The report's current status change: the newest event that put it in its status."""
    change = (
        ReportEvent.objects.filter(report_id=report.pk, to_status=report.status)
        .exclude(from_status=F("to_status"))
        .order_by("-at", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    return f"reporter-mail:{report.pk}:{change}"


def _reporter_mail(report: Report) -> tuple[str, str]:
    subjects, parts = [], []
    for language in REPORTER_LANGUAGES:
        with translation.override(language):
            subjects.append(gettext("Your report %(reference)s") % {"reference": report.reference})
            lines = [gettext("The status of your report %(reference)s has changed.") % {"reference": report.reference}]
            if not report.sensitive:
                lines.append(gettext("Status: %(status)s.") % {"status": Status(report.status).label})
                if report.public_answer and report.status != Status.RETURNED:
                    lines.append(gettext("Answer: %(answer)s") % {"answer": report.public_answer})
            lines.append(gettext("Open the private tracking link you received when you sent the report to read more."))
            parts.append("\n".join(lines))
    return " / ".join(subjects), "\n\n---\n\n".join(parts) + f"\n\n{settings.SITE_URL}"
