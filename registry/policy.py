"""Who sees and changes what in the registry: the one place the views, the API and the services ask.

Prosecutors and the regional analyst read the registry of their scope (a district prosecutor the
indicators seen in their districts, the regional roles the region's); the police read it too, but
never a person's IIN or a company's BIN nor a card in full; other bodies and partners read none of
it. A prosecutor or the police confirm an indicator; only prosecutors unmask a card, an IIN or a
BIN, and each unmasking is audited. The regional analyst and the region-wide prosecutors request
blocking; a partner sees only the requests sent to its organisation, and answers them.

Drug graffiti: prosecutors and the analyst read the records of their remit, the police and the
akimats (which paint them over) those of the districts they serve; a record's photos and report are
shown only as signals shows them to the user (`reports_shown`).
"""

from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import Organisation
from accounts.roles import PROSECUTOR_ROLES, Role
from accounts.scoping import role_of, work_district_ids
from signals.models import Report
from signals.policy import may_work_on_reports

from .indicators import Kind
from .models import BlockingItem, BlockingRequest, Sighting, Status

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
    return indicators.filter(seen_in(districts))


def seen_in(districts) -> Exists:
    """An indicator seen in one of `districts` by a live sighting (one unlinked was wrongly taken
    from its source: it places the value nowhere): what shows it in a district's scope, in the
    registry's lists and in a network."""
    return Exists(
        Sighting.objects.filter(indicator=OuterRef("pk"), district_id__in=districts, unlinked_at__isnull=True)
    )


def counted_sightings(user, sightings: QuerySet) -> QuerySet:
    """The sightings a user may count in a network's figures: of the indicators they may see
    (visible_indicators), and in a district scope only those seen in their districts, which is
    also what makes such an indicator visible to them. Terms on the sighting's own indicator, no
    subquery: a GROUP BY over a period's sightings checks each row as it joins it."""
    if not may_read_registry(user):
        return sightings.none()
    if not is_prosecutor(user):
        sightings = sightings.exclude(indicator__kind__in=PROSECUTORS_ONLY)
    districts = work_district_ids(user)
    if districts is not None:
        sightings = sightings.filter(district_id__in=districts)
    if user.is_superuser:
        return sightings
    return sightings.filter(indicator__region_id=user.organisation.region_id if user.organisation_id else None)


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


# --- blocking requests ------------------------------------------------------------------------------

# The statuses of an indicator a blocking request may be made for: confirmed, or a request before
# it ended without a block in force (refused, not found, unblocked, the block expired).
REQUESTABLE = frozenset({Status.CONFIRMED, Status.REFUSED, Status.NOT_FOUND, Status.UNBLOCKED, Status.BLOCK_EXPIRED})
# Every status of a confirmed indicator: it is answered to partners' lookups and never expires.
CONFIRMED_STATUSES = REQUESTABLE | {Status.BLOCKING_REQUESTED, Status.BLOCKED}
# The kinds the issue names an addressee for: a bank's account to its bank, cards and e-wallets to
# the antifraud centre, sites to the Ministry of Culture and Information, Telegram to the platform.
# Phones, messengers, crypto wallets, IINs and BINs have none (registry.services.blocking says why).
ADDRESSEE_TYPES = {
    Kind.CARD: Organisation.Type.ANTIFRAUD_CENTRE,
    Kind.WALLET: Organisation.Type.ANTIFRAUD_CENTRE,
    Kind.WEBSITE: Organisation.Type.MINISTRY,
    Kind.TELEGRAM: Organisation.Type.PLATFORM,
}
# A request's items answered in one step: requested → blocked, refused or not found; a block
# later lifted or expired.
ANSWERS = {
    BlockingItem.State.REQUESTED: frozenset(
        {BlockingItem.State.BLOCKED, BlockingItem.State.REFUSED, BlockingItem.State.NOT_FOUND}
    ),
    BlockingItem.State.BLOCKED: frozenset({BlockingItem.State.UNBLOCKED, BlockingItem.State.BLOCK_EXPIRED}),
}


def works_region_wide(user) -> bool:
    """The regional analyst and the region-wide prosecutors: they work the region's registry as a
    whole (the partners' notices hold every district's rows; blocking requests go out for all)."""
    if not user.is_authenticated or not user.organisation_id:
        return False
    role = role_of(user)
    return role == Role.ANALYST or (role in PROSECUTOR_ROLES and work_district_ids(user) is None)


def may_request_blocking(user) -> bool:
    """Draft and send blocking requests, and record a partner's answer sent on paper or as a
    spreadsheet."""
    return works_region_wide(user)


def is_partner(user) -> bool:
    return role_of(user) == Role.PARTNER and bool(user.organisation_id)


def may_read_requests(user) -> bool:
    return may_request_blocking(user) or is_partner(user)


def visible_requests(user, requests: QuerySet) -> QuerySet:
    """The requesters see their region's requests, drafts included; a partner the requests sent to
    its organisation, whatever their region; nobody else any."""
    if may_request_blocking(user):
        return requests if user.is_superuser else requests.filter(region_id=user.organisation.region_id)
    if is_partner(user):
        return requests.filter(addressee_id=user.organisation_id).exclude(status=BlockingRequest.State.DRAFT)
    return requests.none()


def may_manage_request(user, request: BlockingRequest) -> bool:
    """Change, send, or record the answers of a request of the user's region."""
    return may_request_blocking(user) and (user.is_superuser or request.region_id == user.organisation.region_id)


def may_answer(user, request: BlockingRequest) -> bool:
    """Answer a sent request's items: a user of the addressee's organisation, or a requester
    recording the addressee's answer."""
    if request.status == BlockingRequest.State.DRAFT:
        return False
    if is_partner(user):
        return user.organisation_id == request.addressee_id
    return may_manage_request(user, request)


# Drug graffiti: the reports of these categories (signals' reference codes) are the registry's
# graffiti records (registry.services.graffiti).
GRAFFITI_CATEGORIES = frozenset({"drug-graffiti"})
# The bodies that work on graffiti: the police investigate the advertised shop, the akimat paints
# the writing over.
GRAFFITI_BODY_TYPES = POLICE_TYPES | {Organisation.Type.AKIMAT}


def may_read_graffiti(user) -> bool:
    """The graffiti records: prosecutors and the regional analyst (within their remit), the police
    and the akimats (of the districts they serve: they find and paint them over). Other bodies,
    partners and citizens none. The photos and the report behind a record are signals' to show:
    an akimat sees them only for the reports it may see there (those sent to it)."""
    if is_prosecutor(user) or role_of(user) == Role.ANALYST:
        return True
    organisation = user.organisation if user.is_authenticated and user.organisation_id else None
    return role_of(user) == Role.BODY_OFFICER and organisation is not None and organisation.type in GRAFFITI_BODY_TYPES


def reads_graffiti_only(user) -> bool:
    """An akimat's officer: the graffiti page is their part of the registry (its menu entry)."""
    return may_read_graffiti(user) and not may_read_registry(user)


def visible_graffiti(user, records: QuerySet) -> QuerySet:
    if not may_read_graffiti(user):
        return records.none()
    if user.is_superuser:
        return records
    records = records.filter(region_id=user.organisation.region_id if user.organisation_id else None)
    districts = work_district_ids(user)
    return records if districts is None else records.filter(district_id__in=districts)


def reports_shown(user, report_ids) -> set[int]:
    """Of these reports, those whose page and photos signals shows the user (its staff pages and
    Report.objects.for_user): the graffiti page links and shows only those."""
    if not may_work_on_reports(user):
        return set()
    return set(Report.objects.for_user(user).filter(pk__in=report_ids).values_list("pk", flat=True))


# Who imports the banks' and the antifraud centre's notices: a notice covers the whole region, so
# the roles whose work spans it, the regional analyst and the region's prosecutors. A district
# prosecutor would see, in the file, rows of other districts; the police receive the registry, they
# do not fill it from the partners' notices; partners send notices, they never see them here.
def may_import_notices(user) -> bool:
    return works_region_wide(user)


def visible_notices(user, notices: QuerySet) -> QuerySet:
    if not may_import_notices(user):
        return notices.none()
    if user.is_superuser:
        return notices
    return notices.filter(region_id=user.organisation.region_id if user.organisation_id else None)
