"""Which reports a user may see: `Report.objects.for_user(user)`.

Prosecutors see the reports of the districts their work covers (regional roles: the region);
a body sees the reports routed to it; a registered citizen sees their own; partners none.
"""

from django.db.models import QuerySet

from accounts.models import Role
from accounts.scoping import is_region_wide, work_district_ids


def visible_reports(user, queryset: QuerySet) -> QuerySet:
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if user.role == Role.CITIZEN:
        return queryset.filter(reporter=user)
    if user.role == Role.BODY_OFFICER:
        return queryset.filter(body_id=user.organisation_id) if user.organisation_id else queryset.none()
    if user.role == Role.PARTNER or not user.organisation_id:
        return queryset.none()
    if is_region_wide(user):
        return queryset.filter(region_id=user.organisation.region_id)
    return queryset.filter(district_id__in=work_district_ids(user))


def sees_reporter_identity(user) -> bool:
    """Reporters' contacts are for prosecutors only, never for the body that must act."""
    return user.is_authenticated and user.role in {
        Role.DISTRICT_PROSECUTOR,
        Role.DEPARTMENT_PROSECUTOR,
        Role.REGIONAL_PROSECUTOR,
        Role.ADMIN,
    }
