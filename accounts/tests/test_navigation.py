"""The navigation: gathered from the apps' registrations (lib.plugins), in one order for everybody."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from accounts.context_processors import navigation_for

# Each role's menu, in the order it is rendered (entries of apps added since are left out).
# Each role's menu, in the order it is rendered (entries of apps added since are left out). The API
# documentation is the administrators'; the analyst reads the oversight.
MENUS = {
    "anonymous": ["home", "report", "public_map"],
    "citizen": ["home", "report", "public_map"],
    "alga_officer": ["home", "report", "queue", "reports", "notifications", "directory", "map"],
    "alga_prosecutor": ["home", "report", "reports", "oversight", "acts", "notifications", "directory", "map"],
    "department_prosecutor": ["home", "report", "reports", "oversight", "acts", "notifications", "directory", "map"],
    "analyst": [
        *("home", "report", "reports", "oversight", "acts", "blocking_requests", "notifications", "directory", "map"),
    ],
    "regional_prosecutor": ["home", "report", "reports", "oversight", "acts", "notifications", "directory", "map"],
    "board_secretary": ["home", "report", "reports", "notifications", "directory", "map"],
    "bank_partner": ["home", "report", "blocking_requests", "notifications", "directory"],
    "administrator": [
        *("home", "report", "reports", "oversight", "acts", "notifications", "directory", "map", "api", "admin"),
    ],
}

KNOWN = {key for menu in MENUS.values() for key in menu}


@pytest.mark.parametrize("username", sorted(MENUS))
def test_it_shows_each_role_its_entries_in_the_order_of_the_menu(db, persona, username):
    request = RequestFactory().get("/accounts/directory/")
    request.user = AnonymousUser() if username == "anonymous" else persona(username)
    entries = [entry for entry in navigation_for(request) if entry["key"] in KNOWN]
    assert [entry["key"] for entry in entries] == MENUS[username]
    assert [entry["key"] for entry in entries if entry["current"]] == (
        ["directory"] if "directory" in MENUS[username] else []
    )


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "home"),
        ("/signals/", "reports"),
        ("/signals/oversight/", "oversight"),
        ("/signals/AKT-2025-000001/", "reports"),
        ("/report/", "report"),
        ("/accounts/map/", "map"),
        ("/accounts/login/", None),
    ],
)
def test_it_marks_exactly_one_entry_current(db, persona, path, current):
    request = RequestFactory().get(path)
    request.user = persona("administrator")
    marked = [entry["key"] for entry in navigation_for(request) if entry["current"]]
    assert marked == ([current] if current else [])
