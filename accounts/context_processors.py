"""What every page shows around its content: the navigation for the user's role and the
language switcher.

The navigation is gathered from the apps: each declares its entries in its apps.py (a NavEntry
of lib.plugins names a url, the roles that see it and its place in the menu), so a new app adds
its pages without a line here. An entry whose url does not exist yet is left out, so a
half-wired app never breaks every page.
"""

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language

from accounts.scoping import role_of
from lib.plugins import navigation as navigation_entries

# Language names are written in their own language, so anybody can find theirs.
LANGUAGE_CHOICES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]


def navigation_for(request) -> list[dict]:
    role = role_of(request.user)
    entries = []
    for entry in navigation_entries():
        if role not in entry.roles or not entry.shown(request.user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        entries.append({"key": entry.key, "label": entry.label, "url": url, "current": False})
    current = _current_entry(request.path, entries)
    if current is not None:
        current["current"] = True
    return entries


def _current_entry(path: str, entries: list[dict]) -> dict | None:
    """The one entry the page belongs to: the longest url the path starts with (the oversight at
    /signals/oversight/ is not also the reports' list at /signals/); the home page only at "/"."""
    matching = [entry for entry in entries if _is_under(path, entry["url"])]
    return max(matching, key=lambda entry: len(entry["url"]), default=None)


def _is_under(path: str, url: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))


def today_label(today) -> str:
    """Today's date in words: deadlines are counted in days, so every page shows it."""
    text = date_format(today, "j E Y")
    # Kazakh writes month names in lower case inside a date; Django's catalogue capitalises them.
    return text.lower() if get_language() == "kk" else text


def navigation(request):
    today = timezone.localdate()
    return {
        "nav_entries": navigation_for(request),
        "today": today,
        "today_label": today_label(today),
        "language_choices": LANGUAGE_CHOICES,
        "current_path": request.get_full_path(),
    }
