"""A summary version's documents, downloaded from its page: GET
/reporting/summaries/<id>/v<n>/download/<pdf|docx|xlsx>/?lang=kk|ru|en. Scoped as the version's
page (another district's summary is not found), every download audited; a format not offered is
answered by a page naming those that are, never an error."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from . import documents
from .views import _language, _version_url, _visible_version, audit_download


@login_required
@require_GET
def version_download(request, pk: int, number: int, format_: str):
    version = _visible_version(request.user, pk, number)
    language = _language(request)
    if format_ not in documents.FORMATS:
        context = {
            "version": version,
            "asked": format_,
            "back": _version_url(version),
            "formats": documents.FORMATS,
            "language": language,
            "message": str(documents.FormatNotOffered(format_)),
        }
        return render(request, "reporting/format_not_offered.html", context, status=404)
    document = documents.version_document(version, language)
    content = documents.render(document, format_)
    name = documents.version_filename(version, language, format_)
    audit_download(request, version, format_=format_, language=language, name=name)
    response = HttpResponse(content, content_type=documents.MEDIA_TYPES[format_])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    patch_cache_control(response, private=True, no_store=True)
    return response
