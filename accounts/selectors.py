"""Reads for the home pages and the directory: always scoped by the user who asks."""

from django.db.models import Count, QuerySet, Sum

from accounts.models import CalendarOverride, District, Organisation, Region, Role, User


def organisation_with_districts(user) -> Organisation | None:
    """The user's own organisation with the districts it serves (one query each)."""
    if not user.organisation_id:
        return None
    return (
        Organisation.objects.prefetch_related("districts")
        .select_related("region", "parent")
        .get(id=user.organisation_id)
    )


# Offices that answer for one city or district (the regional and specialised ones serve all).
LOCAL_OFFICE_TYPES = (
    Organisation.Type.CITY_OFFICE,
    Organisation.Type.CITY_DISTRICT_OFFICE,
    Organisation.Type.DISTRICT_OFFICE,
)


def public_overview() -> dict:
    """Figures of the reference data anyone may see: the institutions are public ones."""
    counts = dict(
        Organisation.objects.filter(is_active=True).values_list("kind").annotate(n=Count("id")).values_list("kind", "n")
    )
    return {
        "regions": list(Region.objects.order_by("kato")),
        "districts": District.objects.filter(parent__isnull=True).count(),
        "prosecutor_offices": counts.get(Organisation.Kind.PROSECUTOR_OFFICE, 0),
        "bodies": counts.get(Organisation.Kind.BODY, 0),
        "partners": counts.get(Organisation.Kind.PARTNER, 0),
    }


def reference_counts() -> dict:
    """What the reference data holds, for the administrator's home."""
    organisations_by_kind = dict(
        Organisation.objects.values_list("kind").annotate(n=Count("id")).values_list("kind", "n")
    )
    return {
        "regions": Region.objects.count(),
        "districts": District.objects.count(),
        "prosecutor_offices": organisations_by_kind.get(Organisation.Kind.PROSECUTOR_OFFICE, 0),
        "bodies": organisations_by_kind.get(Organisation.Kind.BODY, 0),
        "partners": organisations_by_kind.get(Organisation.Kind.PARTNER, 0),
        "users": User.objects.count(),
        "staff_users": User.objects.exclude(role=Role.CITIZEN).count(),
        "calendar_overrides": CalendarOverride.objects.count(),
        "population": Region.objects.aggregate(total=Sum("population"))["total"],
    }


def directory_organisations(user, *, kind: str = "", district_id: int | None = None) -> QuerySet:
    """The organisations the user may see, optionally narrowed to a kind and a district."""
    organisations = Organisation.objects.for_user(user).select_related("parent").prefetch_related("districts")
    if kind:
        organisations = organisations.filter(kind=kind)
    if district_id:
        organisations = organisations.filter(districts__id=district_id).distinct()
    return organisations.order_by("kind", "type", "code")


def organisation_staff(user, organisation: Organisation) -> QuerySet:
    return (
        User.objects.for_user(user)
        .filter(organisation=organisation, is_active=True)
        .order_by("last_name", "first_name", "username")
    )
