"""What the board's pages share: who reads them, the directives a user reads, a filter's value, a
link to a page that may not exist yet, and a stored file served to those who read it."""

import mimetypes

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control

from accounts.scoping import role_of
from lib.i18n import localized

from .models import Directive, DirectiveAddressee
from .policy import ADDRESSEE_ROLES, reads_board

PAGE_SIZE = 25


def require_reader(user) -> None:
    if not reads_board(user):
        raise PermissionDenied


def visible_directives(user):
    """The directives with an execution `user` reads (board.scoping), and those `user` controls."""
    read = Q(pk__in=DirectiveAddressee.objects.for_user(user).values("directive_id"))
    return Directive.objects.filter(read | Q(controller_id=user.pk) if user.is_authenticated else read)


def answers_for_office(user) -> bool:
    """The user answers the directives addressed to their organisation (board.policy.may_answer)."""
    return user.is_authenticated and role_of(user) in ADDRESSEE_ROLES and user.organisation_id is not None


def text_of(directive: Directive, language: str | None = None) -> str:
    """The directive's text in the reader's language, or in another when it has none in theirs."""
    return localized(directive, "text", language)


def title_of(meeting) -> str:
    return localized(meeting, "title")


def choice(value: str, choices) -> str:
    """A filter's value when it is one of `choices`, else none."""
    return value if value in choices else ""


def whole_number(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def url_or_none(name: str, *args) -> str | None:
    """The url, or None while no page answers to that name (a page another part adds later)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def attachment(stored, shown: str) -> FileResponse:
    """A stored file sent as a download under the name it was sent with: never rendered inline
    (an uploaded file is not the platform's page) and never cached by a shared cache."""
    content_type = mimetypes.guess_type(shown)[0] or "application/octet-stream"
    response = FileResponse(stored.open("rb"), as_attachment=True, filename=shown, content_type=content_type)
    patch_cache_control(response, private=True, max_age=600)
    return response
