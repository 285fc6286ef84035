"""The files the board keeps (a report heard at a meeting, an execution's evidence): size-capped
(settings.BOARD_FILE_MAX_BYTES), of the kinds an office sends (PDF, Word and Excel documents,
photos), checked by their content rather than their name. Photos are re-encoded without their
metadata, location included (lib.photos); a document is kept as sent."""

import secrets
import zipfile
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from lib.photos import clean_photo

# A zip-based Office document: its content types part and its main folder.
OFFICE_FOLDERS = {"word/": "docx", "xl/": "xlsx"}
ACCEPT = ".pdf,.docx,.xlsx,.jpg,.jpeg,.png,.heic,.heif,application/pdf,image/jpeg,image/png,image/heic"


def _office_kind(content: bytes) -> str:
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return ""
    if "[Content_Types].xml" not in names:
        return ""
    for folder, kind in OFFICE_FOLDERS.items():
        if any(name.startswith(folder) for name in names):
            return kind
    return ""


def clean_file(uploaded) -> tuple[ContentFile, str]:
    """The file to store and the name to show for it, or a ValidationError saying what is wrong."""
    limit = settings.BOARD_FILE_MAX_BYTES
    size = getattr(uploaded, "size", None)
    if size is None or size > limit:
        raise ValidationError(
            _("The file %(name)s is too large (at most %(limit)s).")
            % {"name": uploaded.name, "limit": filesizeformat(limit)},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("The file %(name)s is empty.") % {"name": uploaded.name}, code="empty")
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    shown = Path(uploaded.name).stem[:150] or "file"
    if head.startswith(b"%PDF-"):
        return ContentFile(uploaded.read(), name=f"{secrets.token_hex(16)}.pdf"), f"{shown}.pdf"
    if head.startswith(b"PK\x03\x04"):
        content = uploaded.read()
        kind = _office_kind(content)
        if kind:
            return ContentFile(content, name=f"{secrets.token_hex(16)}.{kind}"), f"{shown}.{kind}"
    else:
        try:
            return clean_photo(uploaded), f"{shown}.jpg"
        except ValidationError:
            pass
    raise ValidationError(
        _("The file %(name)s is not a PDF, Word or Excel document or a photo.") % {"name": uploaded.name},
        code="not_accepted",
    )
