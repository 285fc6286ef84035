"""The roles of Tartip's users, and the sets of roles the apps ask about.

Nothing here touches a model, so any module may import it: `accounts.models` (which re-exports
these names), `accounts.scoping`, and the apps' `apps.py` when they declare who sees their
navigation entries (an `apps.py` may not import models).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("citizen")
    BODY_OFFICER = "body_officer", _("body officer")
    DISTRICT_PROSECUTOR = "district_prosecutor", _("district prosecutor")
    DEPARTMENT_PROSECUTOR = "department_prosecutor", _("regional department prosecutor")
    ANALYST = "analyst", _("regional analyst")
    REGIONAL_PROSECUTOR = "regional_prosecutor", _("regional prosecutor")
    BOARD_SECRETARY = "board_secretary", _("board secretary")
    # The office's press service: reads the published summaries, edits and approves the press releases.
    PRESS_OFFICER = "press_officer", _("press officer")
    PARTNER = "partner", _("external partner")
    ADMIN = "admin", _("administrator")


# Roles that see reporters' identities or other personal data log in with a second factor: a
# partner too, since the blocking requests it downloads list cards and accounts in full.
PERSONAL_DATA_ROLES = frozenset(
    {
        Role.PARTNER,
        Role.DISTRICT_PROSECUTOR,
        Role.DEPARTMENT_PROSECUTOR,
        Role.ANALYST,
        Role.REGIONAL_PROSECUTOR,
        Role.ADMIN,
    }
)
# Prosecutors' roles: they decide on reports and record acts of response.
PROSECUTOR_ROLES = frozenset(
    {Role.DISTRICT_PROSECUTOR, Role.DEPARTMENT_PROSECUTOR, Role.REGIONAL_PROSECUTOR, Role.ADMIN}
)
# The oversight of the bodies' answers (signals' oversight page): prosecutors decide, the regional
# analyst reads. Here rather than in signals.policy: the menu (apps.py) names it too.
OVERSIGHT_ROLES = PROSECUTOR_ROLES | {Role.ANALYST}
# The results summary's readers (reporting): the oversight roles and the board's secretary; what each
# may compute is reporting.policy's to say. Here rather than in reporting: its menu entry names it.
SUMMARY_READERS = OVERSIGHT_ROLES | {Role.BOARD_SECRETARY, Role.PRESS_OFFICER}
# The board's readers (board.policy; what each reads is board.scoping's): the prosecutors, the
# region-wide roles, and the bodies' officers, who answer the directives addressed to their body.
# Here rather than in board: its menu entries name it.
BOARD_READERS = PROSECUTOR_ROLES | frozenset({Role.ANALYST, Role.BOARD_SECRETARY, Role.BODY_OFFICER})
# The roles whose home page is a dashboard of the results summary's figures (reporting declares it in
# its apps.py, lib.plugins' `home_pages`; reporting.policy says which dashboard each reads). Here
# rather than in reporting: its apps.py names it, and may not import its policy.
DASHBOARD_ROLES = frozenset(
    {
        Role.DISTRICT_PROSECUTOR,
        Role.DEPARTMENT_PROSECUTOR,
        Role.ANALYST,
        Role.REGIONAL_PROSECUTOR,
        Role.BOARD_SECRETARY,
        Role.PRESS_OFFICER,
    }
)
# Roles whose view spans the whole region rather than their own district(s).
REGION_WIDE_ROLES = frozenset(
    {
        Role.DEPARTMENT_PROSECUTOR,
        Role.ANALYST,
        Role.REGIONAL_PROSECUTOR,
        Role.BOARD_SECRETARY,
        Role.PRESS_OFFICER,
        Role.ADMIN,
    }
)

# The role of a visitor who has not logged in (accounts.scoping.role_of).
ANONYMOUS = "anonymous"
# Audiences of pages (navigation entries): everybody, the staff (every role but citizen), and the
# administrators.
ANYONE = frozenset({ANONYMOUS, *Role.values})
STAFF = frozenset(Role.values) - {Role.CITIZEN}
ADMINISTRATORS = frozenset({Role.ADMIN})
