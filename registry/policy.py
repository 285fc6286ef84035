"""Who sees and changes what in the registry: the one place the views, the API and the services ask.

Prosecutors and the regional analyst read the registry of their scope (a district prosecutor the
indicators seen in their districts, the regional roles the region's); the police read it too, but
never a person's IIN or a company's BIN nor a card in full; other bodies and partners read none of
it (a partner will see what is addressed to it). A prosecutor or the police confirm an indicator;
only prosecutors unmask a card, an IIN or a BIN, and each unmasking is audited.
"""

from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import Organisation
from accounts.roles import PROSECUTOR_ROLES, Role
from accounts.scoping import role_of, work_district_ids

from .indicators import Kind
from .models import Sighting

POLICE_TYPES = frozenset({Organisation.Type.POLICE, Organisation.Type.POLICE_UNIT})
# The kinds only prosecutors see: a person's and a company's identification numbers.
PROSECUTORS_ONLY = frozenset({Kind.IIN, Kind.BIN})


def is_police(user) -> bool:
    organisation = user.organisation if user.is_authenticated and user.organisation_id else None
    return role_of(user) == Role.BODY_OFFICER and organisation is not None and organisation.type in POLICE_TYPES


def is_prosecutor(user) -> bool:
    return role_of(user) in PROSECUTOR_ROLES


def may_read_registry(user) -> bool:
    return is_prosecutor(user) or role_of(user) == Role.ANALYST or is_police(user)


def may_record(user) -> bool:
    """Enter an indicator by hand, or confirm one: a prosecutor or the police."""
    return is_prosecutor(user) or is_police(user)


def may_unmask(user) -> bool:
    """See a card in full, an IIN or a BIN: prosecutors only (the role itself, as for reporters)."""
    return user.is_authenticated and user.role in PROSECUTOR_ROLES


def network_hidden_kinds(user) -> frozenset:
    """The kinds never shown to the user in a network (counted hidden instead): an IIN or a BIN
    to whoever is not a prosecutor."""
    return frozenset() if is_prosecutor(user) else PROSECUTORS_ONLY


def may_allow_list(user) -> bool:
    """Add a value to the allow-list (in the administration): the administrator."""
    return user.is_authenticated and user.is_superuser


def visible_indicators(user, indicators: QuerySet) -> QuerySet:
    if not may_read_registry(user):
        return indicators.none()
    if not is_prosecutor(user):
        indicators = indicators.exclude(kind__in=PROSECUTORS_ONLY)
    if user.is_superuser:
        return indicators
    region_id = user.organisation.region_id if user.organisation_id else None
    indicators = indicators.filter(region_id=region_id)
    districts = work_district_ids(user)
    if districts is None:
        return indicators
    seen_there = Sighting.objects.filter(indicator=OuterRef("pk"), district_id__in=districts)
    return indicators.filter(Exists(seen_there))


def may_log_outreach(user) -> bool:
    """The outreach log: prosecutors' offices and the regional analyst."""
    return is_prosecutor(user) or role_of(user) == Role.ANALYST


def visible_outreach(user, entries: QuerySet) -> QuerySet:
    if not may_log_outreach(user):
        return entries.none()
    if user.is_superuser:
        return entries
    entries = entries.filter(region_id=user.organisation.region_id if user.organisation_id else None)
    districts = work_district_ids(user)
    return entries if districts is None else entries.filter(district_id__in=districts)
