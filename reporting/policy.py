"""Who may compute, prepare and approve which results summary: the one place the views and the
command ask.

A district prosecutor computes the districts their work covers (their city's districts with the
city); the region-wide roles (the analyst, the regional and department prosecutors, the board's
secretary, the administrator) the whole region or any of its districts; a body's officer, a
partner or a citizen nothing. The command line runs as the administrator unless told otherwise.

The office's summaries (reporting.services) follow the same scope: the analyst (and a district
prosecutor, for their districts) writes a draft; the regional prosecutor or the board's secretary
approves and publishes it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import District, Region
from accounts.roles import DASHBOARD_ROLES, SUMMARY_READERS, Role
from accounts.scoping import role_of, work_district_ids

# Who writes a summary's drafts, and who approves and publishes them.
SUMMARY_EDITORS = frozenset({Role.ANALYST, Role.DISTRICT_PROSECUTOR, Role.ADMIN})
SUMMARY_APPROVERS = frozenset({Role.REGIONAL_PROSECUTOR, Role.BOARD_SECRETARY, Role.ADMIN})


def may_read_summaries(user) -> bool:
    return user is None or role_of(user) in SUMMARY_READERS


def summary_region(user, region: Region | None) -> Region:
    """The region the summary is of: the user's own (a user of another region may not choose it)."""
    if not may_read_summaries(user):
        raise PermissionDenied(_("Your role does not compute results summaries."))
    own = getattr(getattr(user, "organisation", None), "region", None) if user is not None else None
    if user is not None and not user.is_superuser:
        if own is None or (region is not None and region.pk != own.pk):
            raise PermissionDenied(_("You may compute the summary of your own region only."))
        return own
    if region is not None:
        return region
    regions = list(Region.objects.all()[:2])
    if len(regions) != 1:
        raise ValidationError(_("Name the region: this installation holds several."))
    return regions[0]


def may_compute_national(user) -> bool:
    """A national summary (every region): the installation's administrators only."""
    return user is None or user.is_superuser


def summary_districts(user, region: Region, katos: list[str] | None) -> frozenset[int] | None:
    """The district ids the summary covers (None: the whole region), for the KATO codes asked
    (none: all the user may read). A code outside the region or the user's work is refused."""
    if not may_read_summaries(user):
        raise PermissionDenied(_("Your role does not compute results summaries."))
    allowed = work_district_ids(user) if user is not None else None
    if not katos:
        return None if allowed is None else frozenset(allowed)
    found = {district.kato: district.pk for district in District.objects.filter(region=region, kato__in=katos)}
    unknown = [kato for kato in katos if kato not in found]
    if unknown:
        raise ValidationError(
            _("No district of this region has the KATO code %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    outside = [kato for kato, pk in found.items() if allowed is not None and pk not in allowed]
    if outside:
        raise PermissionDenied(_("The district %(codes)s is outside your remit.") % {"codes": ", ".join(outside)})
    # A city asked for brings its city districts (a city's figure includes them).
    ids = set(found.values())
    ids |= set(District.objects.filter(parent_id__in=ids).values_list("id", flat=True))
    return frozenset(ids)


def may_edit_summaries(user) -> bool:
    return role_of(user) in SUMMARY_EDITORS


def may_approve_summaries(user) -> bool:
    return role_of(user) in SUMMARY_APPROVERS


def visible_summaries(user, summaries: QuerySet) -> QuerySet:
    """The office's summaries a user may read: a region-wide role's of their region, a district
    prosecutor's of their districts only (never the whole region's), nobody else's."""
    if not may_read_summaries(user):
        return summaries.none()
    if user.is_superuser:
        return summaries
    region_id = getattr(user.organisation, "region_id", None) if user.organisation_id else None
    if region_id is None:
        return summaries.none()
    summaries = summaries.filter(region_id=region_id)
    allowed = work_district_ids(user)
    if allowed is None:
        return summaries
    outside = District.objects.exclude(id__in=allowed)
    return summaries.filter(districts__isnull=False).exclude(districts__in=outside).distinct()


# --- press releases (reporting.press) ------------------------------------------------------------
#
# The press service writes the press releases of a published summary (the region's and every
# district-level office's at once), edits and approves them; the analyst and the summary's approvers
# may too. A district prosecutor reads and edits their own office's release only, never approves.

PRESS_WRITERS = frozenset({Role.PRESS_OFFICER, Role.ANALYST}) | SUMMARY_APPROVERS
PRESS_APPROVERS = frozenset({Role.PRESS_OFFICER}) | SUMMARY_APPROVERS


def may_write_press(user) -> bool:
    """Writes the drafts of a version's press releases (every office's in one action)."""
    return role_of(user) in PRESS_WRITERS


def _own_office_release(user, release) -> bool:
    return role_of(user) == Role.DISTRICT_PROSECUTOR and release.office_id == user.organisation_id


def may_edit_press(user, release) -> bool:
    """Edits a release's texts: the press writers, and a district prosecutor their office's."""
    return may_write_press(user) or _own_office_release(user, release)


def may_approve_press(user) -> bool:
    return role_of(user) in PRESS_APPROVERS


def visible_press_releases(user, releases: QuerySet) -> QuerySet:
    """The releases a user may read: the region-wide summary readers those of their region's
    summaries, a district prosecutor their own office's only, nobody else any."""
    if not may_read_summaries(user):
        return releases.none()
    if user.is_superuser:
        return releases
    if work_district_ids(user) is not None:
        if role_of(user) != Role.DISTRICT_PROSECUTOR or not user.organisation_id:
            return releases.none()
        return releases.filter(office_id=user.organisation_id)
    region_id = getattr(user.organisation, "region_id", None) if user.organisation_id else None
    return releases.filter(version__summary__region_id=region_id) if region_id else releases.none()


# --- the dashboards (reporting.dashboards) -----------------------------------------------------------

REGION_DASHBOARD, DISTRICT_DASHBOARD, ANALYST_DASHBOARD = "region", "district", "analyst"


def dashboard_of(user) -> str | None:
    """The dashboard that is the user's home page: the analyst's (the submissions, the records against
    the submissions), a district prosecutor's (their districts beside the region), the region's for
    the other region-wide readers of the figures (the regional and department prosecutors, the
    board's secretary, the press officer); None for the roles that keep their home page."""
    role = role_of(user)
    if role not in DASHBOARD_ROLES or not may_read_summaries(user):
        return None
    if role == Role.ANALYST:
        return ANALYST_DASHBOARD
    if work_district_ids(user) is not None:
        return DISTRICT_DASHBOARD
    return REGION_DASHBOARD


def may_compare_with_region(user) -> bool:
    """A district prosecutor's dashboard sets each figure of their districts beside the region's:
    the region's totals only (never another district's figure), as the board compares them."""
    return dashboard_of(user) == DISTRICT_DASHBOARD
