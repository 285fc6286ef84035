"""The navigation: gathered from the apps' registrations (lib.plugins), in one order for everybody."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from accounts.context_processors import navigation_for

# Each role's menu, in the order it is rendered (entries of apps added since are left out).
MENUS = {
    "anonymous": ["home", "report", "public_map"],
    "citizen": ["home", "report", "public_map"],
    "alga_officer": ["home", "report", "queue", "reports", "notifications", "directory", "map", "api"],
    "alga_prosecutor": ["home", "report", "reports", "oversight", "acts", "notifications", "directory", "map", "api"],
    "department_prosecutor": [
        *("home", "report", "reports", "oversight", "acts", "notifications", "directory", "map", "api"),
    ],
    "analyst": ["home", "report", "reports", "acts", "notifications", "directory", "map", "api"],
    "regional_prosecutor": [
        *("home", "report", "reports", "oversight", "acts", "notifications", "directory", "map", "api"),
    ],
    "board_secretary": ["home", "report", "reports", "notifications", "directory", "map", "api"],
    "bank_partner": ["home", "report", "notifications", "directory", "api"],
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
