"""The press releases' pages: from a published version, one POST writes the region's and every
district-level office's drafts (reporting.press_services); the version's releases with their
states; each release's texts in kk, ru and en, edited and approved; one archive of all of them
(a .txt and a .docx per office and language), every download audited.

Scoping: the region-wide summary readers see their region's releases; a district prosecutor sees
and edits their own office's only (reporting.policy); a body's officer, a partner or a citizen
nothing (403). A release or a version outside the reader's remit is not found (404).
"""

import zipfile
from io import BytesIO

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.access import get_in_scope_or_404
from accounts.audit import audit_record
from accounts.context_processors import LANGUAGE_CHOICES
from accounts.models import AuditEvent
from lib.letters import DocxLetter, paragraphs

from . import policy, press, press_services
from .models import PressRelease, ResultsSummary, SummaryVersion
from .selectors import LANGUAGES

ZIP_TYPE = "application/zip"


def _require_reader(user) -> None:
    if not policy.may_read_summaries(user):
        raise PermissionDenied


def _messages(error: ValidationError) -> list[str]:
    return list(getattr(error, "messages", None) or [str(error)])


def _version(request, pk: int, number: int) -> SummaryVersion:
    """The version when its summary is within the user's remit; another's is not found."""
    _require_reader(request.user)
    summaries = policy.visible_summaries(request.user, ResultsSummary.objects.all())
    versions = SummaryVersion.objects.select_related("summary__region").filter(summary__in=summaries)
    return get_in_scope_or_404(request, versions, summary_id=pk, number=number)


def _releases(user):
    return policy.visible_press_releases(user, PressRelease.objects.all()).select_related(
        "office", "version__summary__region", "approved_by", "edited_by"
    )


def _release(request, pk: int) -> PressRelease:
    _require_reader(request.user)
    return get_in_scope_or_404(request, _releases(request.user), pk=pk)


def _page_language() -> str:
    """The language of the page, for the headline a list shows (the release's other texts are a click away)."""
    language = (translation.get_language() or "ru")[:2]
    return language if language in LANGUAGES else "ru"


def release_url(release: PressRelease) -> str:
    return reverse("reporting:press_release", args=[release.pk])


def releases_url(version: SummaryVersion) -> str:
    return reverse("reporting:press_releases", args=[version.summary_id, version.number])


def _office_label(release: PressRelease) -> str:
    if release.office_id:
        return release.office.name
    return _("The region (the summary's own)")


# --- the version's releases ------------------------------------------------------------------------


@login_required
@require_GET
def press_releases(request, pk: int, number: int):
    """GET /reporting/summaries/<id>/v<n>/press/: the version's releases with their states, and the
    button that writes them (a published version's, for the press writers)."""
    version = _version(request, pk, number)
    releases = _releases(request.user).filter(version=version).order_by("office__code")
    language = _page_language()
    context = {
        "version": version,
        "summary": version.summary,
        "language": language,
        "releases": [(release, _office_label(release), release.headline(language)) for release in releases],
        "published": version.state == SummaryVersion.State.PUBLISHED,
        "can_write": policy.may_write_press(request.user),
    }
    return render(request, "reporting/press_list.html", context)


@login_required
@require_POST
def press_write(request, pk: int, number: int):
    """POST /reporting/summaries/<id>/v<n>/press/write/: the region's and every district-level
    office's drafts, in one action; approved releases are kept (and named)."""
    version = _version(request, pk, number)
    if not policy.may_write_press(request.user):
        raise PermissionDenied
    try:
        done = press_services.press_releases_write(actor=request.user, version=version)
    except ValidationError as error:
        for message in _messages(error):
            messages.error(request, message)
        return redirect(reverse("reporting:version", args=[version.summary_id, version.number]))
    messages.success(
        request,
        _("Press releases written: %(written)s new, %(refreshed)s drafts written again.")
        % {"written": len(done.written), "refreshed": len(done.refreshed)},
    )
    if done.kept:
        kept = ", ".join(_office_label(release) for release in done.kept)
        messages.info(request, _("Approved releases kept as they were: %(offices)s.") % {"offices": kept})
    return redirect(releases_url(version))


# --- a release -------------------------------------------------------------------------------------


class ReleaseForm(forms.Form):
    """A release's headline and text in each language (reporting.press_services checks them)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in LANGUAGE_CHOICES:
            self.fields[f"headline_{code}"] = forms.CharField(
                label=_("Headline (%(language)s)") % {"language": name}, max_length=300, required=False
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Text (%(language)s)") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 18, "lang": code}),
            )
            self.fields[f"headline_{code}"].widget.attrs["lang"] = code

    def languages(self):
        return [(code, name, self[f"headline_{code}"], self[f"body_{code}"]) for code, name in LANGUAGE_CHOICES]


def _initial(release: PressRelease) -> dict:
    return {f"{part}_{code}": getattr(release, f"{part}_{code}") for part in ("headline", "body") for code in LANGUAGES}


def _release_page(request, release: PressRelease, form: ReleaseForm | None = None, status: int = 200):
    user = request.user
    editable = policy.may_edit_press(user, release)
    approver = policy.may_approve_press(user)
    context = {
        "release": release,
        "version": release.version,
        "summary": release.version.summary,
        "office": _office_label(release),
        "form": (form or ReleaseForm(initial=_initial(release))) if editable else None,
        "texts": [(code, name, release.headline(code), release.body(code)) for code, name in LANGUAGE_CHOICES],
        "can_approve": approver and release.state == PressRelease.State.DRAFT,
        "can_reopen": approver and release.state == PressRelease.State.APPROVED,
        "can_list": policy.visible_summaries(
            user, ResultsSummary.objects.filter(pk=release.version.summary_id)
        ).exists(),
        "events": release.events.select_related("actor").order_by("at", "id"),
    }
    return render(request, "reporting/press_release.html", context, status=status)


@login_required
@require_GET
def press_release(request, pk: int):
    """GET /reporting/press/<id>/: the release in the three languages, editable by its editors."""
    return _release_page(request, _release(request, pk))


@login_required
@require_POST
def press_release_save(request, pk: int):
    """POST /reporting/press/<id>/text/: the three languages' headlines and texts. An empty one is
    refused with everything typed kept on the page."""
    release = _release(request, pk)
    if not policy.may_edit_press(request.user, release):
        raise PermissionDenied
    form = ReleaseForm(request.POST)
    form.is_valid()
    try:
        press_services.press_release_save(actor=request.user, release=release, texts=form.cleaned_data)
    except ValidationError as error:
        for message in _messages(error):
            form.add_error(None, message)
        return _release_page(request, release, form, status=400)
    messages.success(request, _("The press release is saved."))
    return redirect(release_url(release))


ACTIONS = {
    "approve": (press_services.press_release_approve, gettext_lazy("The press release is approved.")),
    "reopen": (press_services.press_release_reopen, gettext_lazy("The press release is a draft again.")),
}


@login_required
@require_POST
def press_release_action(request, pk: int, action: str):
    """POST /reporting/press/<id>/<approve|reopen>/."""
    release = _release(request, pk)
    if action not in ACTIONS:
        raise Http404
    if not policy.may_approve_press(request.user):
        raise PermissionDenied
    act, done = ACTIONS[action]
    try:
        act(actor=request.user, release=release)
    except ValidationError as error:
        for message in _messages(error):
            messages.error(request, message)
    else:
        messages.success(request, str(done))
    return redirect(release_url(release))


@login_required
@require_GET
def press_index(request):
    """GET /reporting/press/: the releases within the user's remit, newest version first (a
    district prosecutor's: their office's)."""
    _require_reader(request.user)
    releases = _releases(request.user).order_by("-version__summary__period_end", "-version_id", "office__code")
    return render(
        request,
        "reporting/press_index.html",
        {"releases": [(release, _office_label(release)) for release in releases[:200]]},
    )


# --- the archive ---------------------------------------------------------------------------------


def release_docx(release: PressRelease, language: str) -> bytes:
    letter = DocxLetter()
    letter.paragraph(release.headline(language), bold=True, align=letter.CENTER, space_after=12)
    for paragraph in paragraphs(release.body(language)):
        letter.body(paragraph)
    office = press.office_name(release.office, release.version.summary.region, language)
    return letter.save(title=release.headline(language), language=language, author=office)


def release_txt(release: PressRelease, language: str) -> bytes:
    return f"{release.headline(language)}\n\n{release.body(language)}\n".encode()


def archive(releases: list[PressRelease]) -> tuple[bytes, list[str]]:
    """One zip: per release and language `<office code>-<language>.txt` and `.docx`."""
    buffer, names = BytesIO(), []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for release in releases:
            code = press.file_code(release.office, release.version.summary.region)
            for language in LANGUAGES:
                for extension, write in (("txt", release_txt), ("docx", release_docx)):
                    name = f"{code}-{language}.{extension}"
                    archive.writestr(name, write(release, language))
                    names.append(name)
    return buffer.getvalue(), names


@login_required
@require_GET
def press_archive(request, pk: int, number: int):
    """GET /reporting/summaries/<id>/v<n>/press/archive/: every release of the version the user
    reads, in one zip; the download is audited."""
    version = _version(request, pk, number)
    releases = list(_releases(request.user).filter(version=version).order_by("office__code"))
    if not releases:
        messages.error(request, _("No press release of this version is written yet: write them first."))
        return redirect(releases_url(version))
    content, names = archive(releases)
    name = f"press-releases-{version.summary_id}-v{version.number}.zip"
    audit_record(
        action=AuditEvent.Action.DOWNLOAD,
        actor=request.user,
        target=f"reporting.summaryversion:{version.pk}",
        details={
            "file": name,
            "format": "zip",
            "document": "press_releases",
            "releases": [release.pk for release in releases],
            "files": len(names),
        },
        request=request,
    )
    response = HttpResponse(content, content_type=ZIP_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    patch_cache_control(response, private=True, no_store=True)
    return response
