"""Text kept in the three interface languages (fields `<name>_kk`, `<name>_ru`, `<name>_en`):
the one place that picks the reader's language, then Russian, Kazakh and English, so an entry
missing in one language still shows in another rather than as a blank."""

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
