"""Who hears about what happens to a report, and what they read.

Staff get an in-app notification and a mail (accounts.notifications); reporters who left an
address get a mail (they have no account). A notification never names the reporter, and for
sensitive categories it carries no content at all: the subject with the reference, and a link.
"""

import operator

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.notifications import notify
from lib.tasks import enqueue_on_commit

from .models import Report, ReporterContact, ReportSupporter

Status = Report.Status

# Reporters hear of these changes (in the languages of the public form: Kazakh, then Russian).
REPORTER_STATUSES = frozenset({Status.ANSWERED, Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.RETURNED})
REPORTER_LANGUAGES = ("kk", "ru")


def staff_link(report: Report) -> str:
    return reverse("signals:detail", args=[report.reference])


def overseeing_prosecutors(report: Report):
    """The district prosecutors whose office serves the report's district (or the city it is in)."""
    if report.district_id is None:
        return regional_prosecutors(report.region_id)
    district = report.district
    served = Q(organisation__districts=district.pk)
    if district.parent_id:
        served |= Q(organisation__districts=district.parent_id)
    return User.objects.filter(served, role=Role.DISTRICT_PROSECUTOR, is_active=True).distinct()


def regional_prosecutors(region_id: int):
    return User.objects.filter(
        role__in=[Role.REGIONAL_PROSECUTOR, Role.DEPARTMENT_PROSECUTOR],
        organisation__region_id=region_id,
        is_active=True,
    )


def body_staff(body_id: int):
    return User.objects.filter(organisation_id=body_id, role=Role.BODY_OFFICER, is_active=True)


def _subject(message, report: Report):
    # Lazy, so that notify() renders it in each recipient's language: `lazy string % values`
    # would translate at once, in the language of whoever caused the change.
    return lazy(operator.mod, str)(message, {"reference": report.reference})


def _notify_about(report: Report, users, subject, text="") -> None:
    notify(
        users=users, subject=_subject(subject, report), text=text, url=staff_link(report), sensitive=report.sensitive
    )


def status_changed(report: Report, from_status: str, to_status: str) -> None:
    if to_status == Status.ANSWERED:
        _notify_about(report, overseeing_prosecutors(report), _("Report %(reference)s was answered by the body"))
    elif to_status == Status.RETURNED and report.body_id:
        _notify_about(report, body_staff(report.body_id), _("Report %(reference)s was returned for re-work"))
    elif to_status == Status.REOPENED:
        _notify_about(report, overseeing_prosecutors(report), _("The reporter says %(reference)s is not resolved"))
    if to_status in REPORTER_STATUSES:
        enqueue_on_commit(_mail_reporters_task(), report.pk, to_status)


def forwarded(report: Report, forward) -> None:
    _notify_about(
        report, overseeing_prosecutors(report), _("Report %(reference)s was forwarded to another body: review it")
    )


def extension_requested(report: Report, extension) -> None:
    _notify_about(report, overseeing_prosecutors(report), _("More time is asked for report %(reference)s: decide"))


def extension_decided(report: Report, extension) -> None:
    if extension.decision == extension.Decision.GRANTED:
        subject = _("Extension granted for report %(reference)s")
    else:
        subject = _("Extension refused for report %(reference)s")
    _notify_about(report, body_staff(extension.body_id), subject)


def reporter_followed_up(report: Report) -> None:
    _notify_about(report, overseeing_prosecutors(report), _("The reporter added information to %(reference)s"))
    if report.body_id and report.status in (Status.ROUTED, Status.ACCEPTED, Status.RETURNED):
        _notify_about(report, body_staff(report.body_id), _("The reporter added information to %(reference)s"))


# --- reporters ---------------------------------------------------------------------------------


def _mail_reporters_task():
    from .tasks import mail_reporters

    return mail_reporters


def reporter_addresses(report: Report) -> list[str]:
    """The addresses of everyone following the report who agreed to be contacted."""
    from .services import report_family_ids

    family = report_family_ids(report)
    addresses = list(
        ReporterContact.objects.filter(report_id__in=family).exclude(email="").values_list("email", flat=True)
    )
    addresses += (
        ReportSupporter.objects.filter(report_id__in=family, consent_at__isnull=False)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted(set(addresses))


def mail_reporters(*, report_id: int, status: str) -> int:
    """One mail to each reporter's address (not a list of recipients: they must not see each
    other). No tracking link: only its hash is kept, the reporter has the link."""
    report = Report.objects.filter(pk=report_id).first()
    if report is None or report.status != status:
        return 0  # moved on since: the newer change sends its own mail
    addresses = reporter_addresses(report)
    if not addresses:
        return 0
    subject, body = _reporter_mail(report)
    messages = [EmailMessage(subject=subject, body=body, to=[address]) for address in addresses]
    get_connection().send_messages(messages)
    return len(messages)


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
