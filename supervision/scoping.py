"""Who may read and who may write acts of prosecutorial response.

Readers: a district prosecutor sees the acts of their own office, of the local offices whose
districts all lie within the districts their work covers (a city office sees its city districts'
offices' acts), and every act linked to a report of those districts; the region-wide roles (the
analyst, the board secretary, the regional and department prosecutors, the administrator) see
the whole region. Body officers, citizens and partners see none (the pages answer 403).

Writers: the prosecutors of the issuing office (and a superuser). The regional office reads a
district office's acts but does not number or decide them.
"""

from django.db.models import Q, QuerySet

from accounts.models import PROSECUTOR_ROLES, REGION_WIDE_ROLES, District, Organisation
from accounts.scoping import is_region_wide, role_of, work_district_ids

# Roles that record acts, produce their letters and record their outcomes (for their own office).
ACT_AUTHORS = PROSECUTOR_ROLES
# Roles that read acts (within their scope).
ACT_READERS = ACT_AUTHORS | REGION_WIDE_ROLES


def reads_acts(user) -> bool:
    return user.is_authenticated and role_of(user) in ACT_READERS


def records_acts(user) -> bool:
    return user.is_authenticated and role_of(user) in ACT_AUTHORS


def may_manage(user, act) -> bool:
    """May number the act's letter, correct it and record its outcome."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return (
        user.role in ACT_AUTHORS and user.organisation_id is not None and user.organisation_id == act.issuing_office_id
    )


def local_offices(district_ids) -> QuerySet:
    """Prosecutor's offices serving only districts among `district_ids` (not the regional office,
    which serves every district)."""
    others = District.objects.exclude(id__in=district_ids).values("id")
    return (
        Organisation.objects.filter(kind=Organisation.Kind.PROSECUTOR_OFFICE, districts__in=district_ids)
        .exclude(districts__in=others)
        .values("id")
    )


def district_act_ids(district_ids) -> QuerySet:
    """Ids of the acts of some districts: issued by their local offices, or linked to their reports."""
    from supervision.models import SupervisoryAct

    district_ids = list(district_ids)
    linked = SupervisoryAct.reports.through.objects.filter(report__district_id__in=district_ids).values(
        "supervisoryact_id"
    )
    return SupervisoryAct.objects.filter(
        Q(issuing_office_id__in=local_offices(district_ids)) | Q(id__in=linked)
    ).values("id")


def visible_acts(user, queryset: QuerySet) -> QuerySet:
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if user.role not in ACT_READERS or not user.organisation_id:
        return queryset.none()
    if is_region_wide(user):
        return queryset.filter(region_id=user.organisation.region_id)
    district_ids = work_district_ids(user) or set()
    return queryset.filter(Q(issuing_office_id=user.organisation_id) | Q(id__in=district_act_ids(district_ids)))
