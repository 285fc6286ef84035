"""What every page shows around its content: the navigation for the user's role and the
language switcher.

The navigation is a small table: each entry names a url and the roles that see it. A new app
adds its pages by adding rows to `NAVIGATION` (in the order they should appear); an entry whose
url does not exist yet is left out, so a half-wired app never breaks every page.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.roles import ADMINISTRATORS, ANYONE, PROSECUTOR_ROLES, STAFF, Role
from accounts.scoping import role_of


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str
    url_name: str
    roles: frozenset


NAVIGATION = [
    NavEntry("home", _("Home"), "home", ANYONE),
    NavEntry("report", _("Report an offence"), "signals:report", ANYONE),
    NavEntry("public_map", _("Map of reports"), "signals:public_map", ANYONE - STAFF),
    NavEntry("queue", _("Our queue"), "signals:queue", frozenset({Role.BODY_OFFICER})),
    NavEntry("reports", _("Reports"), "signals:list", STAFF - {Role.PARTNER}),
    NavEntry("oversight", _("Oversight"), "signals:oversight", PROSECUTOR_ROLES),
    NavEntry("acts", _("Acts of response"), "supervision:acts", PROSECUTOR_ROLES | {Role.ANALYST}),
    NavEntry("notifications", _("Notifications"), "accounts:notifications", STAFF),
    NavEntry("directory", _("Directory"), "accounts:directory", STAFF),
    NavEntry("map", _("Map"), "accounts:region_map", STAFF - {Role.PARTNER}),
    NavEntry("api", _("API documentation"), "api-docs", STAFF),
    NavEntry("admin", _("Administration"), "admin:index", ADMINISTRATORS),
]

# Language names are written in their own language, so anybody can find theirs.
LANGUAGE_CHOICES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]


def navigation_for(request) -> list[dict]:
    role = role_of(request.user)
    entries = []
    for entry in NAVIGATION:
        if role not in entry.roles:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        entries.append({"key": entry.key, "label": entry.label, "url": url, "current": _is_current(request, url)})
    return entries


def _is_current(request, url: str) -> bool:
    if url == "/":
        return request.path == "/"
    return request.path.startswith(url)


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
