"""Which meetings and which directives' executions a user reads (the models' `for_user`).

- The region-wide roles (the regional prosecutor, the board's secretary, the analyst, the
  departments, the administrator) read the region's meetings and every addressee's execution.
- A city or district prosecutor reads the region's meetings (they report at them) and only the
  executions addressed to their own office.
- A body's officer reads the executions addressed to their body, and the meetings that addressed
  it or whose working group it sits in.
- Citizens and partners read none.

Projects and working groups (projects_for, working_groups_for): the region's for its prosecutors
and region-wide roles; a body's officer reads those the body takes part in.

Who may write what is board.policy's. This module imports no model (board.models imports it).
"""

from django.db.models import Q, QuerySet

from accounts.roles import PROSECUTOR_ROLES, Role
from accounts.scoping import is_region_wide, role_of


def _region_id(user) -> int | None:
    return user.organisation.region_id if user.organisation_id else None


def addressed_to(user, queryset: QuerySet) -> QuerySet:
    """The DirectiveAddressee rows `user` reads."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if is_region_wide(user):
        return queryset.filter(region_id=_region_id(user))
    if role_of(user) in PROSECUTOR_ROLES | {Role.BODY_OFFICER} and user.organisation_id:
        return queryset.filter(organisation_id=user.organisation_id)
    return queryset.none()


def meetings_for(user, queryset: QuerySet) -> QuerySet:
    """The Meeting rows `user` reads."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    role = role_of(user)
    if (is_region_wide(user) or role in PROSECUTOR_ROLES) and user.organisation_id:
        return queryset.filter(region_id=_region_id(user))
    if role == Role.BODY_OFFICER and user.organisation_id:
        organisation = user.organisation_id
        return queryset.filter(
            Q(directives__addressees__organisation_id=organisation) | Q(working_group__members=organisation)
        ).distinct()
    return queryset.none()


def _partner_or_member(user) -> tuple[int | None, bool]:
    """(the region whose projects and working groups `user` reads in full, or None; whether they
    read those their organisation takes part in instead)."""
    if not user.is_authenticated:
        return None, False
    role = role_of(user)
    if (is_region_wide(user) or role in PROSECUTOR_ROLES) and user.organisation_id:
        return _region_id(user), False
    return None, role == Role.BODY_OFFICER and user.organisation_id is not None


def projects_for(user, queryset: QuerySet) -> QuerySet:
    """The Project rows `user` reads: the region's for its prosecutors and region-wide roles; for a
    body's officer those their body leads, is a partner of, or runs in a working group."""
    if user.is_authenticated and user.is_superuser:
        return queryset
    region_id, takes_part = _partner_or_member(user)
    if region_id is not None:
        return queryset.filter(region_id=region_id)
    if takes_part:
        organisation = user.organisation_id
        return queryset.filter(
            Q(lead_id=organisation) | Q(partners=organisation) | Q(working_groups__members=organisation)
        ).distinct()
    return queryset.none()


def working_groups_for(user, queryset: QuerySet) -> QuerySet:
    """The WorkingGroup rows `user` reads: the region's for its prosecutors and region-wide roles;
    for a body's officer the groups their body sits in or works under."""
    if user.is_authenticated and user.is_superuser:
        return queryset
    region_id, takes_part = _partner_or_member(user)
    if region_id is not None:
        return queryset.filter(region_id=region_id)
    if takes_part:
        organisation = user.organisation_id
        return queryset.filter(Q(lead_id=organisation) | Q(members=organisation)).distinct()
    return queryset.none()
