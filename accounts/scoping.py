"""Who may see what: every `for_user(user)` manager method ends here.

A user works in a region (through their organisation) and, unless their role spans the
region, in the districts their organisation serves. Facts of other districts are
invisible to them: lists leave them out and detail pages answer 404.

This module imports no model (accounts.models imports it): its queries start from the queryset
they are given, or from an instance, and reach other tables through their relations.
"""

from django.db.models import QuerySet

from accounts.roles import ANONYMOUS, REGION_WIDE_ROLES, Role


def role_of(user) -> str:
    """The user's role for access decisions: a superuser counts as an administrator."""
    if not user.is_authenticated:
        return ANONYMOUS
    return Role.ADMIN if user.is_superuser else user.role


def is_region_wide(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in REGION_WIDE_ROLES)


def work_district_ids(user) -> set[int] | None:
    """The districts a user's work covers; None means every district of their region."""

    if not user.is_authenticated or user.role in (Role.CITIZEN, Role.PARTNER):
        return set()
    if is_region_wide(user):
        return None
    if not user.organisation_id:
        return set()
    # Asked several times a request (scoping, every workflow check): kept on the user instance,
    # for as long as the role and the organisation it was read for stay the same.
    key = (user.role, user.organisation_id)
    remembered = getattr(user, "_work_districts", None)
    if remembered is None or remembered[0] != key:
        remembered = user._work_districts = (key, frozenset(office_district_ids(user.organisation)))
    return set(remembered[1])


def office_district_ids(organisation) -> set[int]:
    """The districts an organisation serves; a city office also covers the city's own districts."""
    districts = organisation.districts
    served = set(districts.values_list("id", flat=True))
    served |= set(districts.model.objects.filter(parent_id__in=served).values_list("id", flat=True))
    return served


def visible_districts(user, queryset: QuerySet) -> QuerySet:
    if user.is_authenticated and user.is_superuser:
        return queryset
    district_ids = work_district_ids(user)
    if district_ids is None:
        return queryset.filter(region_id=_region_id(user))
    return queryset.filter(id__in=district_ids)


def visible_organisations(user, queryset: QuerySet) -> QuerySet:
    if not user.is_authenticated or user.role == Role.CITIZEN:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if user.role == Role.PARTNER:
        return queryset.filter(id=user.organisation_id)
    district_ids = work_district_ids(user)
    if district_ids is None:
        # The whole region, and the national partners the region works with.
        region_id = _region_id(user)
        return queryset.filter(region_id=region_id) | queryset.filter(region__isnull=True)
    return queryset.filter(id__in=_serving(queryset, district_ids) | {user.organisation_id})


def visible_users(user, queryset: QuerySet) -> QuerySet:
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if user.role == Role.CITIZEN:
        return queryset.filter(id=user.id)
    if user.role in (Role.PARTNER, Role.BODY_OFFICER):
        return queryset.filter(organisation_id=user.organisation_id)
    organisations = queryset.model._meta.get_field("organisation").related_model.objects.all()
    return queryset.filter(organisation__in=visible_organisations(user, organisations))


def _serving(organisations: QuerySet, district_ids: set[int]) -> set[int]:
    """Ids of the organisations serving any of the districts (every organisation, not only those
    of `organisations`: the ids are looked up in the whole table)."""
    return set(organisations.model.objects.filter(districts__in=district_ids).values_list("id", flat=True))


def _region_id(user) -> int | None:
    return user.organisation.region_id if user.organisation_id else None
