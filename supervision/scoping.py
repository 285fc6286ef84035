"""Who may read and who may write acts of prosecutorial response.

Readers: the prosecutors and the region-wide roles, each within their scope: which acts a reader
sees is `SupervisoryAct.objects.for_user(user)` (supervision.models). Body officers, citizens and
partners read none (the pages answer 403).

Writers: the prosecutors of the issuing office (and a superuser). The regional office reads a
district office's acts but does not number or decide them.

This module imports no model (supervision.models imports it).
"""

from django.db.models import Q, QuerySet

from accounts.roles import PROSECUTOR_ROLES, REGION_WIDE_ROLES, Role
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


# --- records an office keeps: criminal cases under control, investment projects, facilities -------


def office_records_for(user, queryset: QuerySet, *, office: str = "office_id", district: str = "district_id"):
    """The rows of `queryset` (with a region, an office and a district) that `user` may read: the
    region-wide roles the region's; a prosecutor of an office those of their office and of the
    districts their work covers; everybody else none (the pages answer 403 before asking)."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if user.role not in ACT_READERS or not user.organisation_id:
        return queryset.none()
    if is_region_wide(user):
        return queryset.filter(region_id=user.organisation.region_id)
    district_ids = work_district_ids(user) or set()
    return queryset.filter(Q(**{office: user.organisation_id}) | Q(**{f"{district}__in": district_ids}))


def may_keep(user, record, *, office: str = "office_id") -> bool:
    """May change an office's record (a case, a project, a facility): a prosecutor of that office."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return (
        role_of(user) in ACT_AUTHORS
        and user.organisation_id is not None
        and user.organisation_id == getattr(record, office)
    )


# --- crime statistics ---------------------------------------------------------------------------

# The regional analyst imports the crime statistics (DESIGN.md: "imports statistics").
CRIME_IMPORTERS = frozenset({Role.ANALYST})
# Who reads them: the prosecutors (a district's, within the districts their work covers) and the
# region-wide roles.
CRIME_READERS = PROSECUTOR_ROLES | REGION_WIDE_ROLES


def may_import_crime(user) -> bool:
    return user is not None and user.is_authenticated and (user.is_superuser or role_of(user) in CRIME_IMPORTERS)


def reads_crime(user) -> bool:
    return user is not None and user.is_authenticated and (user.is_superuser or role_of(user) in CRIME_READERS)


# --- monthly submissions ------------------------------------------------------------------------

# The analyst checks the offices' submissions, approves or returns them, and locks a month.
SUBMISSION_REVIEWERS = frozenset({Role.ANALYST})


def may_submit_for(user, organisation) -> bool:
    """An office's prosecutors fill in and submit its month (the superuser any office's)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return role_of(user) in PROSECUTOR_ROLES and user.organisation_id == organisation.pk


def may_review_submissions(user, region_id) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return role_of(user) in SUBMISSION_REVIEWERS and user.organisation_id and user.organisation.region_id == region_id
