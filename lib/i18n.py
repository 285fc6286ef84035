"""Text kept in the three interface languages (fields `<name>_kk`, `<name>_ru`, `<name>_en`):
the one place that picks the reader's language, then Russian, Kazakh and English, so an entry
missing in one language still shows in another rather than as a blank."""

import operator

from django.utils.functional import lazy
from django.utils.translation import get_language

FALLBACK_LANGUAGES = ("ru", "kk", "en")


def reader_languages(language: str | None = None) -> tuple[str, ...]:
    """The languages to try, the reader's (the active one, unless given) first."""
    return ((language or get_language() or "kk")[:2], *FALLBACK_LANGUAGES)


def localized(source, field: str, language: str | None = None) -> str:
    """`source`'s `field` in the reader's language: a model instance or a dict ({"name_kk": ...})."""
    if isinstance(source, dict):
        values = [source.get(f"{field}_{code}") for code in reader_languages(language)]
    else:
        values = [getattr(source, f"{field}_{code}", "") for code in reader_languages(language)]
    return next((value for value in values if value), "")


def lazy_format(message, values: dict):
    """A lazy message (`gettext_lazy`) with its %(name)s values, still lazy: rendered in the
    language active where it is read (a notification, in each recipient's), where `message %
    values` would translate it at once, in the language of whoever caused it."""
    return lazy(operator.mod, str)(message, values)
